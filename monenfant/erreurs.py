"""Errors reported to a Sentry-compatible service (SENTRY_DSN; off by default, never under pytest).

What leaves is what a developer needs to find the bug, never a family's data nor a key: no query
string, cookie, body, user, IP address or local variables; request headers from a short list only; the
URL's secret paths masked as in the logs; an address or a database key's value in an error text is
masked too (PostgreSQL's "Key (email)=(…)"). Each event carries the request id of the logs.
"""

import re

from django_guid import get_guid

from monenfant.logs import mask

SAFE_HEADERS = frozenset({"accept", "accept-language", "content-length", "content-type", "host",
                          "x-forwarded-proto", "x-request-id"})
SAFE_REQUEST_KEYS = ("method", "url")
SAFE_BREADCRUMB_KEYS = ("timestamp", "type", "category", "level", "message")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
KEY_VALUE = re.compile(r"\)=\([^)]*\)")  # PostgreSQL's DETAIL: Key (colonne)=(valeur) already exists.
MASKED = "[masqué]"


def scrub(text):
    if not isinstance(text, str):
        return text
    return KEY_VALUE.sub(f")=({MASKED})", EMAIL.sub(MASKED, mask(text)))


def _frames(values):
    for value in values or []:
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
        if "value" in value:
            value["value"] = scrub(value["value"])


def _request(event) -> None:
    request = event.get("request")
    if not request:
        return
    cleaned = {key: request[key] for key in SAFE_REQUEST_KEYS if key in request}
    if "url" in cleaned:
        cleaned["url"] = scrub(cleaned["url"].split("#")[0])
    headers = request.get("headers") or {}
    cleaned["headers"] = {name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS}
    event["request"] = cleaned


def _texts(event) -> None:
    logentry = event.get("logentry")
    if logentry:
        logentry["message"] = scrub(logentry.get("message"))
        logentry["formatted"] = scrub(logentry.get("formatted"))
        logentry["params"] = [scrub(param) for param in logentry.get("params") or []]
    for key in ("message", "transaction"):
        if key in event:
            event[key] = scrub(event[key])


def _extras(event) -> None:
    celery_job = (event.get("extra") or {}).get("celery-job")
    if celery_job:
        event["extra"]["celery-job"] = {"task_name": celery_job.get("task_name")}
    breadcrumbs = (event.get("breadcrumbs") or {}).get("values")
    if breadcrumbs:
        event["breadcrumbs"]["values"] = [before_breadcrumb(crumb, {}) for crumb in breadcrumbs]


def before_send(event, hint):
    _request(event)
    event.pop("user", None)
    _frames((event.get("exception") or {}).get("values"))
    _frames((event.get("threads") or {}).get("values"))
    _texts(event)
    _extras(event)
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def before_breadcrumb(crumb, hint):
    """A log line, an SQL statement (its parameters are never there), a Redis command: no data attached."""
    crumb = {key: crumb[key] for key in SAFE_BREADCRUMB_KEYS if key in crumb}
    if "message" in crumb:
        crumb["message"] = scrub(crumb["message"])
    return crumb


def init(dsn: str, environment: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
