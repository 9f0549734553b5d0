from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_index, name="list"),
    path("export.csv", views.person_export, name="export"),
    path("new/", views.person_create_view, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_update_view, name="update"),
    path("<int:pk>/affiliations/", views.affiliation_add_view, name="affiliation_add"),
    path(
        "<int:pk>/affiliations/<int:affiliation_pk>/remove/",
        views.affiliation_remove_view,
        name="affiliation_remove",
    ),
]
