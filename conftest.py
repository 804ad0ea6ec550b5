"""Fixtures and rules shared by every app: a fake BAN geocoder on loopback, Chromium for Playwright, the
static files scanned once, `on_commit` as in production (`commits`), and hand-written dates on a set clock."""

import csv
import io
import json
import logging
import threading
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from monenfant.tests.horloge import ClockWatch, module_writes_dates, real_clock_environ

pytest_plugins = ["habilitations.tests.fixtures", "structures.tests.fixtures_collecte"]


class FakeBan:
    """Answers /search/ like api-adresse.data.gouv.fr for the addresses a test registers."""

    def __init__(self):
        self.addresses: dict[str, dict] = {}
        self.down = False
        self.queries: list[str] = []
        # One entry per call of /search/csv/: the number of addresses it carried.
        self.csv_calls: list[int] = []

    def add(self, text: str, *, lon: float, lat: float, citycode: str, score: float = 0.9):
        self.addresses[text.lower()] = {"lon": lon, "lat": lat, "citycode": citycode, "score": score}

    def answer(self, query: str) -> dict:
        self.queries.append(query)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [a["lon"], a["lat"]]},
                "properties": {"label": query, "score": a["score"], "citycode": a["citycode"]},
            }
            for text, a in self.addresses.items()
            if text in query.lower()
        ]
        return {"type": "FeatureCollection", "features": features}

    def answer_csv(self, body: bytes, content_type: str) -> bytes:
        """Like /search/csv/: the uploaded rows with latitude, longitude, result_score, result_type and
        result_citycode appended (empty when unknown), the `citycode` column filtering as the BAN does."""
        message = BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        parts = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                 for part in message.get_payload()}
        columns = [parts["columns"].decode()]
        citycode = parts.get("citycode", b"").decode()
        rows = list(csv.DictReader(io.StringIO(parts["data"].decode("utf-8"))))
        self.csv_calls.append(len(rows))
        out = io.StringIO()
        writer = csv.writer(out)
        fields = list(rows[0].keys()) if rows else []
        writer.writerow([*fields, "latitude", "longitude", "result_score", "result_type", "result_citycode"])
        for row in rows:
            query = " ".join(row[c] for c in columns)
            found = [a for text, a in self.addresses.items() if text in query.lower()
                     and (not citycode or not row.get(citycode) or a["citycode"] == row[citycode])]
            a = found[0] if found else None
            writer.writerow([*row.values(), *([a["lat"], a["lon"], a["score"], "housenumber", a["citycode"]] if a else
                                              ["", "", "", "", ""])])
        return out.getvalue().encode()


@pytest.fixture(scope="session")
def _ban_server():
    fake = FakeBan()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            if fake.down:
                self.send_response(503)
                self.end_headers()
                return
            query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
            body = json.dumps(fake.answer(query)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):  # noqa: N802 (http.server API)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if fake.down or urlsplit(self.path).path != "/search/csv/":
                self.send_response(503 if fake.down else 404)
                self.end_headers()
                return
            answer = fake.answer_csv(body, self.headers["Content-Type"])
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fake_ban(_ban_server, settings):
    """Every test geocodes against the fake BAN, never the real one."""
    fake, url = _ban_server
    fake.addresses.clear()
    fake.queries.clear()
    fake.csv_calls.clear()
    fake.down = False
    settings.BAN_URL = url
    return fake


@pytest.fixture(scope="session", autouse=True)
def _static_files_scanned_once():
    """WhiteNoise scans the collected static files (about 10,000) whenever a middleware chain is built,
    that is for every test client: 1.3 s a test. They do not change during a session: scan them once."""
    from whitenoise.base import WhiteNoise

    scanned: dict[tuple[str, str], dict] = {}
    original = WhiteNoise.update_files_dictionary

    def update_files_dictionary(self, root, prefix):
        if (root, prefix) not in scanned:
            files, self.files = self.files, {}
            original(self, root, prefix)
            scanned[root, prefix], self.files = self.files, files
        self.files.update(scanned[root, prefix])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoise, "update_files_dictionary", update_files_dictionary)
        yield


@pytest.fixture(scope="session")
def browser(live_server, browser):
    """The browser closes before the live server stops: its last keep-alive connections end while the
    server still shares the in-memory database with its threads (else "Exception in thread" at exit)."""
    return browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium; Playwright's own download is not possible here (see ENVIRONMENT.md).
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
        # The browser keeps the real clock when the tests run a year ahead (TEST_FAKETIME): Chromium
        # does not run under libfaketime, and only the server's date matters to the tests.
        "env": real_clock_environ(),
    }


@pytest.fixture(scope="session")
def live_server(request):
    """The site as `make run` serves it: static files by WhiteNoise from the collected, hashed
    (manifest) names, not by Django's test handler from the apps' folders."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "localhost", start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


# Hosts of the Internet these machines cannot reach (map tiles, the address geocoder): the only
# requests a browser test forgives.
UNREACHABLE_HOSTS = ("tile.openstreetmap.org", "api-adresse.data.gouv.fr")


class BrowserWatch:
    """What went wrong in any page of a browser test: console errors, page errors, sub-resources that
    failed or answered >= 400. A page the test itself opens may answer 404 (that is what it checks)."""

    def __init__(self):
        self.problems: list[str] = []
        self.refused_documents: set[str] = set()

    @staticmethod
    def forgiven(url: str) -> bool:
        return any(host in (url or "") for host in UNREACHABLE_HOSTS)

    def console(self, message):
        url = (message.location or {}).get("url", "")
        if message.type != "error":
            return
        # A refusal by the Content-Security-Policy is ours to fix, whatever host it names (a map tile too).
        csp = "Content Security Policy" in message.text
        if not csp and (self.forgiven(url) or self.forgiven(message.text)):
            return
        if url in self.refused_documents and message.text.startswith("Failed to load resource"):
            return
        self.problems.append(f"console : {message.text[:200]} ({url})")

    def response(self, response):
        if response.status < 400 or self.forgiven(response.url):
            return
        if response.request.is_navigation_request():
            self.refused_documents.add(response.url)
        else:
            self.problems.append(f"{response.status} {response.url}")

    def request_failed(self, request):
        # A request the browser cancels because the page moved on (the favicon of a page left at once).
        if request.failure == "net::ERR_ABORTED":
            return
        if not self.forgiven(request.url) and not request.is_navigation_request():
            self.problems.append(f"échec {request.url} ({request.failure})")

    def watch(self, page):
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"erreur JavaScript : {str(error)[:200]}"))
        page.on("response", self.response)
        page.on("requestfailed", self.request_failed)


@pytest.fixture(autouse=True)
def _browser_pages_are_watched(request):
    """Every page of every browser test, however it is opened (the `page` fixture, a new context, a
    new page), is watched; the test fails on what a person would meet as a broken page."""
    if request.node.get_closest_marker("e2e") is None:
        yield
        return
    browser = request.getfixturevalue("browser")
    watch = BrowserWatch()
    new_context, new_page = browser.new_context, browser.new_page

    opened = []

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on("page", watch.watch)
        opened.append(context)
        return context

    def watched_page(*args, **kwargs):
        page = new_page(*args, **kwargs)
        watch.watch(page)
        opened.append(page.context)
        return page

    browser.new_context, browser.new_page = watched_context, watched_page
    try:
        yield watch
    finally:
        browser.new_context, browser.new_page = new_context, new_page
        # What a test opened closes with it: pages left open (a map, timers) kept a renderer each busy for
        # the rest of the run, 42 of them by the end of the suite.
        # Their pages, not the contexts: pytest-playwright closes the `page` fixture's context itself and fails
        # on one closed before; a closed context has no page left.
        for context in opened:
            for page in context.pages:
                page.close()
    assert not watch.problems, "Dans le navigateur :\n" + "\n".join(watch.problems)


@pytest.fixture(scope="session", autouse=True)
def _force_login_gives_the_second_factor():
    """`client.force_login` skips the password; for the people who log in with a second factor it skips
    that too (a confirmed app, this session verified), as if they had typed it. The second factor
    itself is tested through its pages (habilitations/tests/test_second_facteur.py)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.needs_second_factor:
            from habilitations.tests.fixtures import give_second_factor

            give_second_factor(self, user)

    Client.force_login = force_login
    yield
    Client.force_login = original


_DEMO_COPIE = {}


@pytest.fixture
def demo_directory(request):
    """The real communes of 43 and 64 with the demo directory and the demo accounts.

    On SpatiaLite, a browser journey's database (transaction=True: emptied after each test) gets them from a
    copy taken the first time on this worker, with SQLite's online backup: the same rows, in a fraction of
    the time the commands take."""
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    copie_possible = connection.vendor == "sqlite" and getattr(request.node.get_closest_marker("django_db"),
                                                               "kwargs", {}).get("transaction")
    if copie_possible and "demo" in _DEMO_COPIE:
        connection.ensure_connection()
        _DEMO_COPIE["demo"].backup(connection.connection)
        return
    with open("/dev/null", "w") as devnull:
        call_command("import_geographie", "--departements", "43", "64", stdout=devnull)
        call_command("load_demo", stdout=devnull)
        call_command("load_demo_accounts", stdout=devnull)
    reseed_guide()
    if copie_possible:
        _DEMO_COPIE["demo"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_DEMO_COPIE["demo"])


def reseed_guide() -> None:
    """What the guide's migrations seed and `make run` serves, put back when an earlier transactional test's
    flush emptied it (the browser journeys, the Celery worker's tests)."""
    import importlib

    from django.apps import apps

    from guide.models import PageGuide, PageLegale

    if not PageGuide.objects.exists():
        importlib.import_module("guide.migrations.0002_pages").seed(apps, None)
    if not PageLegale.objects.exists():
        importlib.import_module("guide.migrations.0004_seed_pages_legales").seed(apps, None)


@pytest.fixture(autouse=True)
def _guide_seeded(request):
    """Whatever ran before on this worker, a test that reads the database finds the guide as migrated."""
    if request.node.get_closest_marker("django_db") is not None:
        reseed_guide()


@pytest.fixture
def demo_site(demo_directory):
    """What `make run` serves: the demo directory, with its information places open to families' demandes."""
    from django.core.management import call_command

    with open("/dev/null", "w") as devnull:
        call_command("load_demo_guichets", stdout=devnull)


@pytest.fixture
def commits(db, monkeypatch):
    """What `on_commit` does in production, inside a test's transaction: a callback runs when the code's
    outermost atomic block ends (at once outside any block), instead of when the test's transaction
    would commit, that is never. Cheaper than `transaction=True`, which empties every table after each test."""
    from django.db import connection, transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    depth = len(connection.atomic_blocks)  # the test's own blocks
    on_commit, atomic_exit = BaseDatabaseWrapper.on_commit, transaction.Atomic.__exit__

    def run(callbacks):
        for _savepoints, func, robust in callbacks:
            try:
                func()
            except Exception:
                if not robust:
                    raise
                logging.getLogger("django.db.backends.base").exception("on_commit (robust)")

    def on_commit_here(self, func, robust=False):
        if self.alias == connection.alias and len(self.atomic_blocks) == depth:
            run([(set(), func, robust)])
        else:
            on_commit(self, func, robust)

    def exit_then_commit(self, exc_type, exc_value, traceback):
        result = atomic_exit(self, exc_type, exc_value, traceback)
        if self.using in (None, connection.alias) and len(connection.atomic_blocks) == depth and connection.run_on_commit:
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            run(callbacks)
        return result

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_here)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_then_commit)


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in tests, as on the embedded default; the `redis` tests use a real worker."""
    from monenfant.celery import app

    eager = request.node.get_closest_marker("redis") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_usage_buffer(settings):
    """Usage counts an earlier test buffered in Redis (its database rolled back) are not flushed into this one."""
    if not settings.REDIS_URL:
        return
    import redis

    from compteurs import usage

    try:
        usage._redis(usage.FLUSH_TIMEOUT).delete(usage.BUFFER_KEY, usage.PROCESSING_KEY, usage.LOCK_KEY)
    except redis.RedisError:
        pass  # the test that stops Redis starts it again


CLOCK_WATCH = ClockWatch()


@pytest.fixture(scope="session", autouse=True)
def _today_is_watched():
    from django.utils import timezone

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", CLOCK_WATCH.wrap(timezone.localdate))
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test of a module that writes dates by hand fails if the code read today's date on the real clock."""
    CLOCK_WATCH.active, CLOCK_WATCH.reads = module_writes_dates(str(item.path)), []
    try:
        result = yield
    finally:
        CLOCK_WATCH.active = False
    if CLOCK_WATCH.reads:
        pytest.fail(
            "Ce module écrit des dates en dur, et le code a lu la date du jour sur la vraie horloge "
            f"({', '.join(sorted(set(CLOCK_WATCH.reads)))}) : le test échouera un jour. Fixez l'horloge "
            "(time_machine.travel) ou calculez les dates à partir d'aujourd'hui.",
            pytrace=False,
        )
    return result


@pytest.fixture(autouse=True)
def baremes(request):
    """The barèmes the migration seeds, seeded again when a test with transaction=True (a live server, a real
    worker) has flushed them on this worker: the simulator's pages and API are reached from every app's tests."""
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    request.getfixturevalue("_django_db_helper")
    from simulateur.models import Bareme, SourceParametre, TauxEffort
    from simulateur.seed import seed_psu
    from simulateur.seed_cmg import seed_cmg

    if not Bareme.objects.exists():
        seed_psu(Bareme, TauxEffort)
        seed_cmg(Bareme, TauxEffort, SourceParametre)
