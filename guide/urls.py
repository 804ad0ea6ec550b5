from django.urls import path

from . import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("rubrique/<str:code>/", views.rubrique, name="rubrique"),
    path("<slug:slug>/", views.page, name="page"),
]
