"""One log line per request (issue 22): level, time, logger, request id, method, path, status, duration;
never a query string, a form's data or a key; the request id comes back in X-Request-ID and is carried
by the tasks the request queues."""

import logging
import re
import uuid

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.urls import include, path
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_guid import clear_guid, get_guid, set_guid

from habilitations.tests.factories import UserFactory
from monenfant.celery import app


@app.task(name="monenfant.tests.test_journal_acces.ecrit_une_ligne")
def ecrit_une_ligne():
    logging.getLogger("monenfant.tests.tache").info("ligne de la tâche")
    return get_guid()


def lance_une_tache(request):
    seen = ecrit_une_ligne.delay().get(timeout=30)
    logging.getLogger("monenfant.tests.vue").info("après la tâche")
    return HttpResponse(seen)


def cle(request, token):
    return HttpResponse("ok")


urlpatterns = [
    path("tache/", lance_une_tache),
    path("ailleurs/<str:token>/", cle),
    path("", include("monenfant.urls")),
]


class Lines(logging.Handler):
    """The lines as the console handler of settings.LOGGING writes them: its filters and its format."""

    def __init__(self):
        super().__init__()
        [console] = [handler for handler in logging.getLogger().handlers if handler.get_name() == "console"]
        for log_filter in console.filters:
            self.addFilter(log_filter)
        self.setFormatter(console.formatter)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def lines():
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)
    clear_guid()


def access(lines):
    return [line for line in lines if " monenfant.acces " in line]


ACCESS = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) monenfant\.acces \[([0-9a-f-]+)\] (\S+) (\S+) (\d{3}) (\d+) ms")


@pytest.mark.django_db
def test_one_line_per_request_without_the_query_string(client, lines):
    request_id = str(uuid.uuid4())
    response = client.get("/api/structures/?commune=43157&adresse=12+rue+des+Quarteroni&token=secret",
                          HTTP_X_REQUEST_ID=request_id)
    assert response["X-Request-ID"] == request_id
    [line] = access(lines)
    level, logged_id, method, logged_path, status, _ms = ACCESS.fullmatch(line).groups()
    assert (level, logged_id, method, logged_path, status) == ("INFO", request_id, "GET", "/api/structures/",
                                                              str(response.status_code))
    text = "\n".join(lines)
    for secret in ("?", "Quarteroni", "43157", "secret"):
        assert secret not in text


@pytest.mark.django_db
def test_a_form_s_fields_are_never_logged(client, lines):
    client.post("/pro/connexion/?next=/pro/", {"username": "quarteroni@example.fr", "password": "Quarteroni-2"})
    [line] = access(lines)
    assert ACCESS.fullmatch(line).group(4) == "/pro/connexion/"
    assert "quarteroni" not in "\n".join(lines).lower()


@pytest.mark.django_db
def test_keys_in_paths_are_masked(client, lines, settings):
    settings.ROOT_URLCONF = __name__
    person = UserFactory(email="julie@pif43.example.fr")
    uid, token = urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)
    jeton = "Zq9-secret-de-suivi-0123456789abcdef"
    client.get(f"/pro/nouveau-mot-de-passe/{uid}/{token}/")
    client.get(f"/pro/habilitation/suivi/{jeton}/")
    client.get("/ailleurs/cle-hors-des-prefixes/")  # a route naming its parameter `token`
    assert [ACCESS.fullmatch(line).group(4) for line in access(lines)] == [
        "/pro/nouveau-mot-de-passe/[secret]", "/pro/habilitation/suivi/[secret]", "/ailleurs/[secret]/",
    ]
    text = "\n".join(lines)
    for secret in (token, jeton, uid, "cle-hors-des-prefixes"):
        assert secret not in text


@pytest.mark.django_db
def test_django_s_own_warnings_are_masked_too(lines):
    from django.test import Client

    Client(enforce_csrf_checks=True).post("/pro/habilitation/suivi/Zq9-jeton-de-suivi/?token=abc", {"nom": "Quarteroni"})
    [warning] = [line for line in lines if "django.security.csrf" in line]
    assert warning.endswith("Forbidden (CSRF cookie not set.): /pro/habilitation/suivi/[secret]")
    text = "\n".join(lines)
    assert "Zq9" not in text and "token" not in text and "Quarteroni" not in text


def test_a_control_character_in_a_path_stays_on_its_line(client, lines):
    client.get("/pas-de-page/%0A2000 INFO faux [x] GET /")
    [line] = access(lines)
    assert "\n" not in line and "/pas-de-page/%0A2000%20INFO%20faux%20%5Bx%5D%20GET%20/" in line


@pytest.mark.parametrize("given", [
    "n'importe quoi", "0" * 40, "{0f3e0c1a-2b4c-4d5e-8f90-a1b2c3d4e5f6}",
    "urn:uuid:0f3e0c1a-2b4c-4d5e-8f90-a1b2c3d4e5f6", "0f3e0c1a2b4c4d5e8f90a1b2c3d4e5f6" + "-" * 200,
])
def test_an_insane_request_id_is_replaced(client, lines, given):
    response = client.get("/sante/inconnu/", HTTP_X_REQUEST_ID=given)
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    [line] = access(lines)
    assert f"[{made}]" in line
    assert given not in "\n".join(lines)


def test_a_request_id_is_made_when_none_is_given_and_the_probes_write_no_line_when_all_is_well(client, lines):
    first, second = client.get("/sante/")["X-Request-ID"], client.get("/sante/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    assert access(lines) == []


@pytest.mark.django_db
def test_a_task_run_by_the_request_logs_with_its_id(client, lines, settings):
    """Tasks in-process (no broker, the embedded default): the task's lines and the lines after it."""
    settings.ROOT_URLCONF = __name__
    request_id = uuid.uuid4().hex
    response = client.get("/tache/", HTTP_X_REQUEST_ID=request_id)
    assert response.content.decode() == request_id
    assert response["X-Request-ID"] == request_id
    for message in ("ligne de la tâche", "après la tâche", "GET /tache/ 200"):
        [line] = [line for line in lines if message in line]
        assert f"[{request_id}] " in line


@pytest.mark.redis
def test_a_task_on_a_real_worker_logs_with_the_id_of_the_request_that_queued_it():
    from celery.contrib.testing.worker import start_worker

    handler = Lines()
    # On the task's logger: starting the worker configures logging again (settings.LOGGING), root's handlers with it.
    task_logger = logging.getLogger("monenfant.tests.tache")
    task_logger.addHandler(handler)
    request_id = uuid.uuid4().hex
    try:
        with start_worker(app, pool="solo", perform_ping_check=False):
            set_guid(request_id)  # as django-guid's middleware does for a request
            assert ecrit_une_ligne.delay().get(timeout=30) == request_id
    finally:
        task_logger.removeHandler(handler)
        clear_guid()
    [line] = handler.lines
    assert line.endswith(f"INFO monenfant.tests.tache [{request_id}] ligne de la tâche")


def test_lines_outside_a_request_say_so(lines):
    logging.getLogger("monenfant.tests").warning("purge : 3 demandes effacées")
    assert lines[-1].endswith("WARNING monenfant.tests [-] purge : 3 demandes effacées")
