from django.urls import path

from . import views

app_name = "demandes"
urlpatterns = [
    path("", views.wizard, name="debut"),
    path("etape/<str:etape>/", views.wizard, name="etape"),
    path("confirmation/<str:reference>/", views.confirmation, name="confirmation"),
    path("confirmation/<str:reference>/pdf/", views.confirmation_pdf, name="confirmation_pdf"),
]
