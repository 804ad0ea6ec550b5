from django.urls import path

from monenfant.decorators import secret_link

from . import views

app_name = "demandes"
urlpatterns = [
    path("", views.wizard, name="debut"),
    path("etape/<str:etape>/", views.wizard, name="etape"),
    path("confirmation/<str:reference>/", secret_link(views.confirmation), name="confirmation"),
    path("confirmation/<str:reference>/pdf/", secret_link(views.confirmation_pdf), name="confirmation_pdf"),
]
