from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_index, name="list"),
    path("new/", views.job_create, name="create"),
    path("<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("<int:pk>/check/", views.job_check, name="check"),
    path("<int:pk>/places/", views.job_places, name="places"),
    path("<int:pk>/report.xlsx", views.job_report, name="report"),
    path("<int:pk>/commit/", views.job_commit, name="commit"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
]
