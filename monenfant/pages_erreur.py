"""The error pages that are not Django's own: 503 when the database is out of reach, and the static page
nginx shows when no app server answers (deploy/nginx/monenfant.conf)."""

import sys
from pathlib import Path

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client (or a crawler) is told to wait before trying again.
RETRY_AFTER = 30


def _page_indisponible() -> str:
    return loader.get_template("503.html").render()


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a database that does not answer (a restart, a failover) is not the site's bug: the visitor
    gets a 503 that says to come back in a minute; the connection is reopened by the next request."""
    error = sys.exc_info()[1]
    # OperationalError and InterfaceError: the server went away or refused the connection. An
    # IntegrityError or a ProgrammingError is a bug and stays a 500.
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(_page_indisponible(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


def ecrire_page_indisponible(dossier: str | Path) -> Path:
    """Write indisponible.html (the 503 page, its static links resolved) for nginx's error_page."""
    chemin = Path(dossier) / "indisponible.html"
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(_page_indisponible(), encoding="utf-8")
    return chemin
