"""The suite's own rule: a test that writes dates by hand runs on a clock set by hand (monenfant/tests/horloge.py)."""

import datetime

import time_machine
from django.utils import timezone

from monenfant.tests.horloge import ClockWatch, dates_written_by_hand

SOURCE = '''
"""Docstrings may say 1er janvier 2027."""
import datetime
D = datetime.date

def test_something():
    """Nor here: 2027-02-01."""
    birth = datetime.date(2025, 3, 1)
    anniversary = D(2027, 3, 10)
    typed = "2027-02-01"
    month = {"debut": "2026-09"}
    shown = "Place disponible dès le 1er février 2027"
    password = "Velay2026linf"
    count = max(2026, 3)  # a year-like number that is not a date
'''


def test_the_scan_finds_dates_in_code_and_not_in_docstrings_or_passwords():
    assert sorted(dates_written_by_hand(SOURCE)) == sorted([
        "datetime.date(2025, 3, 1)", "D(2027, 3, 10)", "2027-02-01", "2026-09", "1er février 2027",
    ])


def test_a_module_without_dates_is_left_alone():
    assert dates_written_by_hand("import datetime\nTODAY = datetime.date.today()\nN = 2026\n") == []


def test_today_read_on_the_real_clock_is_recorded_and_under_time_machine_it_is_not():
    watch = ClockWatch()
    localdate = watch.wrap(lambda value=None, timezone=None: value or "today")

    localdate()  # not watched: nothing
    watch.active = True
    localdate(timezone.now())  # a given instant is not "today"
    assert watch.reads == []
    localdate()
    assert len(watch.reads) == 1 and "test_horloge.py" in watch.reads[0]
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)):
        localdate()
    assert len(watch.reads) == 1
