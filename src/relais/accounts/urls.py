from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_index, name="list"),
    path("new/", views.user_create_view, name="create"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/edit/", views.user_update_view, name="update"),
    path("<int:pk>/roles/", views.membership_add_view, name="membership_add"),
    path(
        "<int:pk>/roles/<int:membership_pk>/remove/",
        views.membership_remove_view,
        name="membership_remove",
    ),
]
