from django.urls import path

from . import views

app_name = "demandes_pro"
urlpatterns = [
    path("", views.pro_liste, name="liste"),
    path("export/", views.pro_export, name="export"),
    path("<str:reference>/", views.pro_detail, name="detail"),
    path("<str:reference>/ouvrir/", views.pro_ouvrir, name="ouvrir"),
]
