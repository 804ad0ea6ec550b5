"""The steps a logged-in person takes before the professional area or the back office opens: the
second factor (enrol, then verify each login), then a new password when theirs must change.

One place for every private page, /pro/ and /administration/ alike, rather than a decorator that a
new view can forget."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import is_enrolled

PRIVATE_PREFIXES = ("/pro/", "/administration/")


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else url


class AccessStepsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = self._step(request)
        return step if step is not None else self.get_response(request)

    def _step(self, request):
        if not request.path.startswith(PRIVATE_PREFIXES):
            return None  # public pages never load the session's user for this
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        deconnexion = reverse("pro:deconnexion")
        if user.needs_second_factor and not user.is_verified():
            target = reverse("pro:second_facteur") if is_enrolled(user) else reverse("pro:activer_second_facteur")
            if request.path in (target, deconnexion):
                return None
            return redirect(_with_next(target, request))
        if user.doit_changer_mot_de_passe:
            target = reverse("pro:mot_de_passe")
            if request.path in (target, deconnexion):
                return None
            messages.info(request, "Choisissez votre mot de passe avant de continuer.")
            return redirect(target)
        return None
