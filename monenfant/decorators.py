"""View decorators shared by the apps."""

import functools


def keep_secret(response, *, referrer: bool = True):
    """Out of search engines; and, unless the page holds a form, its URL is never sent as a Referer,
    even to this site: a form's POST from a `no-referrer` page carries `Origin: null`, which CSRF refuses."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    if referrer:
        response["Referrer-Policy"] = "no-referrer"  # SecurityMiddleware only sets its own when none is
    return response


def secret_link(view):
    """A page reached by a link that is itself the key (a follow-up, a family's confirmation)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return keep_secret(view(request, *args, **kwargs))

    return wrapped
