from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("administration/", admin.site.urls),
    path("", include("structures.urls")),
    path("", include("simulateur.urls")),
    path("pro/demandes/", include("demandes.pro_urls")),
    path("pro/", include("habilitations.urls")),
    path("demande-information/", include("demandes.urls")),
    path("guide/", include("guide.urls")),
    path("", include("linf.urls")),
    path("captcha/", include("captcha.urls")),
]
