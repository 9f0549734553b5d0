"""The territory's pages, under /territory/ and their own URL names."""

from django.urls import path

from .views import territory as views

app_name = "territory"
urlpatterns = [
    path("", views.territory_index, name="list"),
    path("map.svg", views.territory_map_svg, name="map"),
    path("<str:code>/", views.territory_detail, name="detail"),
]
