"""Errors reported to a Sentry-compatible service (issue 22): off by default and in tests; what is sent
holds no family's data, no key, no query string, cookie or body."""

import gzip
import json
import os
import subprocess
import sys
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk

from monenfant.erreurs import before_breadcrumb, before_send

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_is_reported_from_the_tests():
    assert not sentry_sdk.get_client().is_active()


def test_before_send_keeps_what_finds_the_bug_and_drops_the_rest():
    event = {
        "request": {
            "method": "POST",
            "url": "https://monenfant.example.fr/pro/habilitation/suivi/Zq9-jeton/?token=abc#haut",
            "query_string": "token=abc&nom=Quarteroni",
            "cookies": {"sessionid": "s3cr3t"},
            "data": {"nom": "Quarteroni", "telephone": "0611223344"},
            "env": {"REMOTE_ADDR": "192.0.2.7"},
            "headers": {"Cookie": "sessionid=s3cr3t", "Authorization": "Basic eDp5", "User-Agent": "Firefox",
                        "X-Forwarded-For": "192.0.2.7", "Referer": "https://monenfant.example.fr/?q=Quarteroni",
                        "Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": "0f3e0c1a"},
        },
        "user": {"ip_address": "192.0.2.7", "email": "famille@example.fr"},
        "exception": {"values": [{
            "type": "IntegrityError",
            "value": 'duplicate key value violates unique constraint "x"\nDETAIL:  Key (email)=(julie@pif43.example.fr) already exists.',
            "stacktrace": {"frames": [{"function": "vue", "lineno": 3, "vars": {"nom": "'Quarteroni'"}}]},
        }]},
        "logentry": {"message": "Envoi à %s", "params": ["famille@example.fr"]},
        "extra": {"celery-job": {"task_name": "notifications.tasks.send_notification", "args": [12], "kwargs": {}},
                  "sys.argv": ["gunicorn"]},
        "breadcrumbs": {"values": [{"category": "httplib", "type": "http", "message": None,
                                    "data": {"url": "https://api-adresse.data.gouv.fr/search/", "http.query": "q=12 rue"}}]},
    }
    sent = before_send(event, {})
    assert sent["request"] == {
        "method": "POST", "url": "https://monenfant.example.fr/pro/habilitation/suivi/[secret]",
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": "0f3e0c1a"},
    }
    assert "user" not in sent
    [exception] = sent["exception"]["values"]
    assert exception["value"].endswith("DETAIL:  Key (email)=([masqué]) already exists.")
    assert "vars" not in exception["stacktrace"]["frames"][0]
    assert sent["logentry"]["params"] == ["[masqué]"]
    assert sent["extra"]["celery-job"] == {"task_name": "notifications.tasks.send_notification"}
    assert sent["breadcrumbs"]["values"] == [{"category": "httplib", "type": "http", "message": None}]
    text = json.dumps(sent)
    for secret in ("Quarteroni", "s3cr3t", "192.0.2.7", "Zq9-jeton", "token", "pif43", "famille@", "eDp5", "12 rue"):
        assert secret not in text


def test_a_breadcrumb_keeps_no_data():
    crumb = {"category": "query", "message": 'SELECT 1 FROM "x" WHERE "email" = %s', "data": {"db.params": ["a@b.fr"]},
             "level": "info", "timestamp": 1.0, "type": "default"}
    assert before_breadcrumb(crumb, {}) == {"category": "query", "message": crumb["message"], "level": "info",
                                            "timestamp": 1.0, "type": "default"}


class Recorder(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], Recorder.received
    server.shutdown()
    server.server_close()


# Run apart (its own process, SENTRY_DSN in its environment, as on a server): the SDK patches Django
# and Celery for the whole process, which the other tests must not share.
SCRIPT = """
import io, sys, types
import django
django.setup()
import sentry_sdk
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def suivi(request, jeton):
    nom = request.POST.get("nom")  # a local variable: never sent
    raise RuntimeError("échec voulu par le test")

urls = types.ModuleType("urls_erreur")
urls.urlpatterns = [path("pro/habilitation/suivi/<slug:jeton>/", suivi), path("", include("monenfant.urls"))]
sys.modules["urls_erreur"] = urls
settings.ROOT_URLCONF = "urls_erreur"
body = b"nom=Quarteroni"
environ = {
    "REQUEST_METHOD": "POST", "PATH_INFO": "/pro/habilitation/suivi/jeton-de-suivi-123/",
    "QUERY_STRING": "token=secret-de-requete", "SERVER_NAME": "localhost", "SERVER_PORT": "8000",
    "HTTP_HOST": "localhost", "REMOTE_ADDR": "192.0.2.7", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
    "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
    "HTTP_COOKIE": "suivi_famille=cookie-de-la-famille", "HTTP_X_REQUEST_ID": sys.argv[1],
    "HTTP_REFERER": "https://monenfant.example.fr/?nom=Quarteroni", "HTTP_X_FORWARDED_FOR": "192.0.2.7",
}
statuses = []
response = get_wsgi_application()(environ, lambda status, headers, exc_info=None: statuses.append(status))
b"".join(response)
assert statuses == ["500 Internal Server Error"], statuses
assert sentry_sdk.get_client().is_active()
sentry_sdk.flush(timeout=20)
"""


def test_an_error_in_a_view_is_reported_without_the_family_s_data(fake_sentry, tmp_path):
    port, received = fake_sentry
    request_id = uuid.uuid4().hex
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "monenfant.settings", "REDIS_URL": "",
               "SENTRY_DSN": f"http://cle0publique@127.0.0.1:{port}/42", "SENTRY_ENVIRONMENT": "essai",
               "DATABASE_URL": f"spatialite:///{tmp_path / 'vide.sqlite3'}"}
    run = subprocess.run([sys.executable, "-c", SCRIPT, request_id], cwd=ROOT, env=environ,  # noqa: S603
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    text = b"\n".join(received).decode()
    events = [item for line in text.splitlines() if line.startswith("{")
              for item in [json.loads(line)] if "exception" in item]
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "essai"
    assert event["tags"]["request_id"] == request_id
    assert event["request"]["url"] == "http://localhost/pro/habilitation/suivi/[secret]"
    assert set(event["request"]) == {"method", "url", "headers"}
    assert all("vars" not in frame for value in event["exception"]["values"] for frame in value["stacktrace"]["frames"])
    assert event["request"]["method"] == "POST"
    for secret in ("Quarteroni", "secret-de-requete", "cookie-de-la-famille", "jeton-de-suivi-123", "192.0.2.7"):
        assert secret not in text, secret
