from django.urls import path

from .views import organisations as views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("new/", views.organisation_create_view, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_update_view, name="update"),
]
