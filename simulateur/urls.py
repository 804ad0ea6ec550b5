from django.urls import path

from . import views

app_name = "simulateur"
urlpatterns = [
    path("simulateur/", views.simulateur, name="simulateur"),
    path("api/simulateur/creche/", views.api_creche, name="api_creche"),
    path("api/simulateur/assistant-maternel/", views.api_assmat, name="api_assmat"),
]
