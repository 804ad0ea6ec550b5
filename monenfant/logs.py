"""Secret links never reach a log: the access lines of runserver and gunicorn, and Django's
"Not Found: /…" warnings, show their path up to the secret part only.

The prefixes are in settings.SECRET_URL_PREFIXES (activation and reset links, an habilitation's
follow-up link); whatever follows one of them, up to a space, a quote or a query string, is masked.
"""

import logging
import re

from django.conf import settings

LOGGERS = ("django.server", "django.request", "gunicorn.access", "gunicorn.error")
MASK = "[secret]"


def _pattern() -> re.Pattern:
    prefixes = "|".join(re.escape(p) for p in settings.SECRET_URL_PREFIXES)
    return re.compile(rf"({prefixes})[^\s\"'?]+")


class RedactSecrets(logging.Filter):
    def __init__(self):
        super().__init__()
        self.pattern = _pattern()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.pattern.search(message):
            record.msg, record.args = self.pattern.sub(rf"\1{MASK}", message), ()
        return True


def install() -> None:
    """On the loggers themselves (not on handlers): gunicorn and Django keep their own handlers."""
    secrets_filter = RedactSecrets()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(secrets_filter)
