from django.urls import path

from . import views

app_name = "familles"
urlpatterns = [
    path("alertes/", views.creer, name="creer"),
    path("alertes/<str:jeton>/confirmer/", views.confirmer, name="confirmer"),
    path("alertes/<str:jeton>/arreter/", views.arreter, name="arreter"),
]
