from django.contrib.auth import views as auth_views
from django.urls import path

from monenfant.decorators import secret_link

from . import views

app_name = "pro"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("connexion/", views.Connexion.as_view(), name="connexion"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("double-authentification/", views.second_facteur, name="second_facteur"),
    path("double-authentification/activer/", views.activer_second_facteur, name="activer_second_facteur"),
    path("mot-de-passe/", views.ChangementMotDePasse.as_view(), name="mot_de_passe"),
    path("mot-de-passe-oublie/", views.MotDePasseOublie.as_view(), name="mot_de_passe_oublie"),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="habilitations/mot_de_passe_oublie_envoye.html"),
        name="mot_de_passe_oublie_envoye",
    ),
    path("nouveau-mot-de-passe/<uidb64>/<token>/", views.NouveauMotDePasse.as_view(), name="nouveau_mot_de_passe"),
    path("structures/<int:pk>/", views.fiche, name="fiche"),
    path("structures/<int:pk>/consentement/", views.consentement, name="consentement"),
    path("structures/<int:pk>/assistants/<int:assistant_pk>/", views.assistant_mam, name="assistant_mam"),
    path("habilitation/", views.demande_habilitation, name="demande_habilitation"),
    # A token is letters, digits, - and _: anything else (a NUL, which PostgreSQL refuses) is a 404 before any query.
    path("habilitation/suivi/<slug:jeton>/", secret_link(views.suivi_habilitation), name="suivi_habilitation"),
]
