from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("", views.territory_index, name="list"),
    path("map.svg", views.territory_map_svg, name="map"),
    path("<str:code>/", views.territory_detail, name="detail"),
]
