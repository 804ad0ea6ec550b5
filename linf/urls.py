from django.urls import path

from . import views

app_name = "linf"
urlpatterns = [
    path("departements/<str:code>/", views.departement, name="departement"),
]
