"""The client's address behind the load balancer: only the trusted proxy's X-Forwarded-For is believed."""

import pytest
from django.test import RequestFactory

from monenfant.reseau import client_ip

PROXY = "10.0.0.5"


def ip(settings, remote, forwarded=None, proxies=(PROXY,)):
    settings.TRUSTED_PROXIES = list(proxies)
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_ip(RequestFactory().get("/", **meta))


def test_the_trusted_proxy_names_the_client(settings):
    assert ip(settings, PROXY, "203.0.113.7") == "203.0.113.7"
    # What the client typed itself comes first; the proxy appended what it saw: that one is believed.
    assert ip(settings, PROXY, "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    # Two trusted hops (a network): the first untrusted from the right.
    assert ip(settings, "10.0.0.9", "203.0.113.7, 10.0.0.5", proxies=("10.0.0.0/24",)) == "203.0.113.7"
    assert ip(settings, PROXY, "2001:db8::1") == "2001:db8::1"


def test_nobody_else_is_believed(settings):
    assert ip(settings, "203.0.113.7", "198.51.100.1") == "203.0.113.7", "a client's own header is ignored"
    assert ip(settings, PROXY, "198.51.100.1", proxies=()) == PROXY, "no proxy named: REMOTE_ADDR"
    assert ip(settings, PROXY, "pas une adresse") == PROXY, "garbage stops at what the proxy vouched for"
    assert ip(settings, PROXY, "") == PROXY


@pytest.mark.django_db
def test_families_behind_the_load_balancer_each_have_their_own_limit(client, settings):
    """Five demandes an hour per family, not for the whole site: two families through the same proxy."""
    from django.core.cache import cache

    from demandes.models import Demande
    from demandes.tests.conftest import open_linf
    from demandes.tests.test_demande import go_through
    from structures.tests.factories import CommuneFactory

    open_linf("PIF du Velay", CommuneFactory(code_insee="43157"), person_email="julie@pif43.example.fr")
    settings.TRUSTED_PROXIES = [PROXY]
    cache.clear()

    def send(forwarded, remote=PROXY):
        client.defaults.update(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        go_through(client)
        return client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"}).status_code

    assert [send("203.0.113.7") for _ in range(5)] == [302] * 5
    assert send("203.0.113.7") == 429
    assert send("203.0.113.8") == 302, "another family through the same proxy"
    # The limited family, reaching the app server directly, cannot choose its address to escape its limit.
    assert send("198.51.100.99", remote="203.0.113.7") == 429
    assert Demande.objects.count() == 6
