"""Secret links never reach a log (issue 15): runserver's and gunicorn's access lines, Django's 404 warnings."""

import logging
import urllib.request
from urllib.error import HTTPError

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from habilitations.tests.factories import UserFactory


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def logged():
    kept = Kept()
    loggers = [logging.getLogger(name) for name in ("django.server", "django.request", "gunicorn.access")]
    for logger in loggers:
        logger.addHandler(kept)
    yield kept.lines
    for logger in loggers:
        logger.removeHandler(kept)


@pytest.mark.django_db(transaction=True)
def test_a_reset_link_and_a_follow_up_link_leave_no_token_in_the_access_log(live_server, logged, monkeypatch):
    from django.core.servers.basehttp import WSGIRequestHandler
    from django.test.testcases import QuietWSGIRequestHandler

    # The test server keeps quiet; here it writes its access lines as runserver does.
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    person = UserFactory(email="julie@pif43.example.fr")
    uid, token = urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)
    jeton = "Zq9-secret-de-suivi-0123456789abcdef"
    for path in (f"/pro/nouveau-mot-de-passe/{uid}/{token}/", f"/pro/habilitation/suivi/{jeton}/"):
        try:
            urllib.request.urlopen(live_server.url + path)  # noqa: S310 (the test server, over http)
        except HTTPError:
            pass  # the follow-up link is unknown here: a 404, logged as such
    text = "\n".join(logged)
    assert '"GET /pro/nouveau-mot-de-passe/[secret] HTTP/1.1" 302' in text
    assert "Not Found: /pro/habilitation/suivi/[secret]" in text
    for secret in (token, jeton, uid):
        assert secret not in text


def test_gunicorns_access_line_is_masked_too(logged):
    logging.getLogger("gunicorn.access").info('%s "%s" %s', "127.0.0.1", "GET /pro/habilitation/suivi/abc123/ HTTP/1.1", 200)
    assert logged == ['127.0.0.1 "GET /pro/habilitation/suivi/[secret] HTTP/1.1" 200']
