"""The embedded database takes concurrent families: writers wait for the lock instead of failing."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_spatialite_keeps_the_configured_busy_timeout_and_immediate_transactions(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SpatiaLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000 == 30000
    assert connection.transaction_mode == "IMMEDIATE"
