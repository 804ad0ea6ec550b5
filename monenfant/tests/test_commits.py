"""The `commits` fixture (root conftest) runs on_commit callbacks as a production commit would."""

import pytest
from django.db import transaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]


def test_a_callback_runs_when_the_outermost_block_ends_and_not_before():
    ran = []
    with transaction.atomic():
        with transaction.atomic():
            transaction.on_commit(lambda: ran.append("inner"))
        assert ran == [], "a savepoint is not a commit"
        transaction.on_commit(lambda: ran.append("outer"))
        assert ran == []
    assert ran == ["inner", "outer"]


def test_outside_any_block_it_runs_at_once():
    ran = []
    transaction.on_commit(lambda: ran.append("now"))
    assert ran == ["now"]


def test_a_rolled_back_block_runs_nothing():
    ran = []
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        transaction.on_commit(lambda: ran.append("never"))
        1 / 0  # noqa: B018
    with transaction.atomic():
        pass
    assert ran == []
