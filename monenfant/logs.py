"""What the logs say, and what they never say.

Each request writes one line (logger `monenfant.acces`): method, path, status and duration, with the
request id that django-guid reads from `X-Request-ID` (or makes) and returns in the response; the
Celery integration hands it to the tasks the request queues, so their lines carry it too. The path
has no query string and no secret: the rest of a path under one of settings.SECRET_URL_PREFIXES
(activation and reset links, an habilitation's follow-up link), and any part of a path a URL pattern
names `token`, `jeton` or `uidb64`, is written `[secret]`.

Secret links never reach the other lines either: the console handler of settings.LOGGING masks every
line it writes, whatever its logger (Django's "Not Found: /…" and "Forbidden (CSRF …): /…" warnings);
runserver's and gunicorn's access lines, written by their own handlers, are masked on their loggers.
Their query string is dropped too.
"""

import logging
import re
import time

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.utils.encoding import escape_uri_path
from django_guid import get_guid, set_guid
from django_guid.log_filters import CorrelationId

LOGGERS = ("django.server", "django.request", "django.security.csrf", "gunicorn.access", "gunicorn.error")
MASK = "[secret]"
# Names of URL parameters that are keys: their value never reaches a log.
SECRET_KWARGS = frozenset({"token", "jeton", "uidb64"})
QUERY_STRING = re.compile(r"(?<=\S)\?[^\s\"']+")  # after a path (not a question's " ?")
# A request id we accept from a client or a proxy: a UUID (32 hex digits, with or without its dashes).
REQUEST_ID = re.compile(r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
# The probes of the load balancer, every few seconds: a line only when they fail.
QUIET_PATHS = ("/sante/", "/sante/pret/")

access_logger = logging.getLogger("monenfant.acces")


def _pattern() -> re.Pattern:
    prefixes = "|".join(re.escape(p) for p in settings.SECRET_URL_PREFIXES)
    return re.compile(rf"({prefixes})[^\s\"'?]+")


def mask(text: str) -> str:
    """A text (a log line, a URL) without its secret paths and query strings."""
    return QUERY_STRING.sub("", _pattern().sub(rf"\1{MASK}", text))


def masked_path(request) -> str:
    """The request's path as it was sent (percent-encoded: no control character), without its secrets."""
    path = escape_uri_path(request.path)
    match = getattr(request, "resolver_match", None)
    secrets = {escape_uri_path(str(value)) for name, value in (match.kwargs.items() if match else ())
               if name in SECRET_KWARGS}
    if secrets:
        path = "/".join(MASK if part in secrets else part for part in path.split("/"))
    return mask(path)


class RedactSecrets(logging.Filter):
    def __init__(self):
        super().__init__()
        self.pattern = _pattern()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = QUERY_STRING.sub("", self.pattern.sub(rf"\1{MASK}", message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class RequestIdFilter(CorrelationId):
    """django-guid's filter (adds `correlation_id`), with "-" outside a request or a task."""

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if record.correlation_id is None:
            record.correlation_id = "-"
        return True


class AccessLogMiddleware:
    """After django-guid's middleware: one line per request, written once the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.monotonic()
        request_id = get_guid()
        if request_id is not None and not REQUEST_ID.fullmatch(request_id):
            # django-guid takes any text uuid.UUID can read (braces, a urn: prefix, dashes anywhere).
            from django_guid.utils import generate_guid

            request_id = request.correlation_id = set_guid(generate_guid())
        response = self.get_response(request)
        if request_id is not None:
            set_guid(request_id)  # a task run in-process (no broker) cleared it when it ended
        if request.path in QUIET_PATHS and response.status_code == 200:
            return response
        duration_ms = round((time.monotonic() - start) * 1000)
        method = request.method if request.method.isalpha() else "-"
        path = masked_path(request)
        access_logger.log(
            logging.WARNING if response.status_code >= 500 else logging.INFO,
            "%s %s %d %d ms", method, path, response.status_code, duration_ms,
            extra={"method": method, "path": path, "status": response.status_code, "duration_ms": duration_ms},
        )
        return response


def _header() -> str:
    from django_guid.config import settings as guid_settings

    return guid_settings.guid_header_name


def _eager_task_takes_the_request_id(task=None, **kwargs):
    """Without a broker a task runs in the request: django-guid would give it an id of its own (it reads
    the id from the message's headers, which an in-process task has not). Runs before django-guid's
    receiver, which then finds the request's id where it looks."""
    request_id = get_guid()
    if task is not None and task.request.is_eager and request_id and not task.request.get(_header()):
        setattr(task.request, _header(), request_id)


def _eager_task_gives_the_request_id_back(task=None, **kwargs):
    """After django-guid's receiver, which clears the id when a task ends: the request goes on with its own."""
    if task is not None and task.request.is_eager and task.request.get(_header()):
        set_guid(task.request.get(_header()))


def install() -> None:
    """On the loggers themselves (not on handlers): gunicorn and Django keep their own handlers."""
    secrets_filter = RedactSecrets()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(secrets_filter)
    # Celery calls a signal's receivers in the order they were connected: ours around django-guid's.
    task_prerun.connect(_eager_task_takes_the_request_id, weak=False, dispatch_uid="monenfant.logs.eager_prerun")
    import django_guid.integrations.celery.signals  # noqa: F401 (connects django-guid's receivers)

    task_postrun.connect(_eager_task_gives_the_request_id_back, weak=False, dispatch_uid="monenfant.logs.eager_postrun")
