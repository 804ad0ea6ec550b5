from django.urls import path

from monenfant.decorators import secret_link

from . import views

app_name = "demandes"
urlpatterns = [
    path("", views.wizard, name="debut"),
    # Steps and references are letters, digits and -: anything else (a NUL, which PostgreSQL refuses) is a 404.
    path("etape/<slug:etape>/", views.wizard, name="etape"),
    path("confirmation/<slug:reference>/", secret_link(views.confirmation), name="confirmation"),
    path("confirmation/<slug:reference>/pdf/", secret_link(views.confirmation_pdf), name="confirmation_pdf"),
    # The family's follow-up link (its confirmation email): the token is the key.
    path("suivi/<slug:jeton>/", secret_link(views.suivi), name="suivi"),
    path("suivi/<slug:jeton>/retirer/", views.retirer, name="retirer"),
    path("retiree/", views.retiree, name="retiree"),
]
