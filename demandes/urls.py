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
]
