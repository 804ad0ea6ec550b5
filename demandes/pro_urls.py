from django.urls import path

from . import views

app_name = "demandes_pro"
urlpatterns = [
    path("", views.pro_liste, name="liste"),
    path("export/", views.pro_export, name="export"),
    # A reference is letters, digits and -: anything else (a NUL, which PostgreSQL refuses) is a 404.
    path("<slug:reference>/", views.pro_detail, name="detail"),
    path("<slug:reference>/ouvrir/", views.pro_ouvrir, name="ouvrir"),
]
