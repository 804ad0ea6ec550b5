"""A family giving a birth date on 29 February gets an answer, not a 500 (the day six years before has no 29)."""

import datetime
import zoneinfo

import pytest
import time_machine

from demandes.forms import EnfantForm

LEAP_DAY = datetime.datetime(2028, 2, 29, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@time_machine.travel(LEAP_DAY)
@pytest.mark.parametrize(("born", "valid"), [("2027-06-01", True), ("2022-02-28", True), ("2022-02-27", False)])
def test_a_birth_date_given_on_a_29_february_is_checked_against_six_years_before(born, valid):
    form = EnfantForm({"date_naissance": born})
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["date_naissance"] == ["Le service concerne les enfants de moins de 6 ans."]
