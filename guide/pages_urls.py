"""The site's legal pages and its map, at fixed addresses linked from every page's footer."""

from django.urls import path

from . import views
from .models import TypePageLegale as T

app_name = "pages"
urlpatterns = [
    path("mentions-legales/", views.page_legale, {"type": T.MENTIONS_LEGALES}, name="mentions_legales"),
    path("donnees-personnelles/", views.page_legale, {"type": T.DONNEES_PERSONNELLES}, name="donnees_personnelles"),
    path("accessibilite/", views.page_legale, {"type": T.ACCESSIBILITE}, name="accessibilite"),
    path("plan-du-site/", views.plan_du_site, name="plan_du_site"),
]
