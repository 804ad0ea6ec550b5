"""The embedded database takes concurrent families: writers wait for the lock instead of failing."""

from django.db import ConnectionHandler

from monenfant.settings import SPATIALITE_OPTIONS


def test_spatialite_keeps_the_configured_busy_timeout_and_writes_in_wal(tmp_path, django_db_blocker):
    # A SpatiaLite file of its own, so that the check runs whatever database the suite is on.
    connection = ConnectionHandler({"default": {
        "ENGINE": "django.contrib.gis.db.backends.spatialite", "NAME": str(tmp_path / "probe.sqlite3"),
        "OPTIONS": dict(SPATIALITE_OPTIONS),
    }})["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 30000, "loading SpatiaLite must not bring the timeout back to 5 s"
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
            assert connection.transaction_mode == "IMMEDIATE"
        finally:
            connection.close()
