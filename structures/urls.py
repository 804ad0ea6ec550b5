from django.urls import path

from . import views

app_name = "structures"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.recherche, name="recherche"),
    path("recherche/oublier-adresse/", views.oublier_adresse, name="oublier_adresse"),
    path("recherche/oublier-besoin/", views.oublier_besoin, name="oublier_besoin"),
    path("structures/<int:pk>/", views.fiche, name="fiche"),
    path("recherche-d-emploi/", views.avip, name="avip"),
    path("initiatives/<int:pk>/image/", views.initiative_image, name="initiative_image"),
    path("api/structures/", views.api_structures, name="api_structures"),
    path("api/structures/<int:pk>/", views.api_structure, name="api_structure"),
    path("api/communes/", views.api_communes, name="api_communes"),
    path("donnees/", views.donnees, name="donnees"),
    path("donnees/<str:nom>", views.donnees_fichier, name="donnees_fichier"),
]
