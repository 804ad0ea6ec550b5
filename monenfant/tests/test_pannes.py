"""What a visitor gets when a dependency fails: the database out of reach, Redis stopped."""

import time

import pytest
from django.db import IntegrityError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory, override_settings
from django_ratelimit.core import is_ratelimited

from monenfant.cache import TolerantRedisCache

# A port nobody listens on: a Redis that was stopped.
REDIS_ARRETE = "redis://127.0.0.1:1/0"


@pytest.fixture
def base_perdue(monkeypatch):
    def raise_(error):
        def execute(self, *args, **kwargs):
            raise error
        monkeypatch.setattr(CursorWrapper, "execute", execute)
    return raise_


@pytest.mark.django_db
def test_a_database_out_of_reach_answers_the_french_503_page(base_perdue):
    base_perdue(OperationalError("connection to server at \"127.0.0.1\" failed: Connection refused"))
    response = Client(raise_request_exception=False).get("/recherche/?commune=Le+Puy-en-Velay&code_insee=43157")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Le service est momentanément indisponible" in page and "rien de ce que vous aviez déjà envoyé" in page
    assert "Connection refused" not in page and "127.0.0.1" not in page


@pytest.mark.django_db
def test_a_bug_in_a_query_stays_a_500(base_perdue):
    base_perdue(IntegrityError("duplicate key"))
    response = Client(raise_request_exception=False).get("/recherche/?commune=Le+Puy-en-Velay&code_insee=43157")
    assert response.status_code == 500 and "Le site rencontre un problème" in response.content.decode()


def test_a_stopped_redis_costs_the_cache_not_the_request():
    cache = TolerantRedisCache(REDIS_ARRETE, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    started = time.monotonic()
    assert cache.get("cle", "défaut") == "défaut"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("cle", 1) is False
    cache.set("cle", 1)
    cache.delete("cle")
    with pytest.raises(ValueError):
        cache.incr("cle")
    assert time.monotonic() - started < 5, "each call gives up quickly"


@override_settings(CACHES={"default": {"BACKEND": "monenfant.cache.TolerantRedisCache", "LOCATION": REDIS_ARRETE,
                                       "OPTIONS": {"socket_connect_timeout": 0.5}}})
def test_a_rate_limit_redis_cannot_count_lets_the_family_through():
    request = RequestFactory().post("/demande-information/etape/recapitulatif/")
    for _ in range(10):
        assert not is_ratelimited(request, group="demande", key="ip", rate="5/h", method="POST", increment=True)
