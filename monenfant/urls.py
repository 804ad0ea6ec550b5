from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import include, path
from django.views.generic import RedirectView

from monenfant import api_documentation, captcha_audio


class Favicon(RedirectView):
    """Browsers ask /favicon.ico on pages that do not name one (the back office's): the DSFR's."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return staticfiles_storage.url("dsfr/dist/favicon/favicon.ico")


urlpatterns = [
    path("administration/", admin.site.urls),
    path("api/", api_documentation.documentation, name="api_documentation"),
    path("api/openapi.json", api_documentation.openapi_json, name="api_openapi"),
    path("", include("structures.urls")),
    path("", include("simulateur.urls")),
    path("pro/demandes/", include("demandes.pro_urls")),
    path("pro/", include("habilitations.urls")),
    path("demande-information/", include("demandes.urls")),
    path("guide/", include("guide.urls")),
    path("", include("familles.urls")),
    path("", include("guide.pages_urls")),
    path("", include("linf.urls")),
    # Before the library's own audio route (flite, English): the same name, spoken in French.
    path("captcha/audio/<str:key>.wav", captcha_audio.captcha_audio, name="captcha-audio"),
    path("captcha/", include("captcha.urls")),
    path("favicon.ico", Favicon.as_view()),
]

# The database out of reach answers 503 in French; anything else is the 500 page.
handler500 = "monenfant.pages_erreur.server_error"
