from django.urls import path

from . import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    # Codes are letters and digits: anything else (a NUL, which PostgreSQL refuses) is a 404 before any query.
    path("rubrique/<slug:code>/", views.rubrique, name="rubrique"),
    path("<slug:slug>/", views.page, name="page"),
]
