from django.urls import path

from . import views

app_name = "linf"
urlpatterns = [
    # A code is letters and digits (2A, 971): anything else (a NUL, which PostgreSQL refuses) is a 404 before any query.
    path("departements/", views.departements, name="departements"),
    path("departements/<slug:code>/", views.departement, name="departement"),
]
