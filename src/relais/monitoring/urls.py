from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("sessions/", views.sessions, name="sessions"),
    path("trainers/", views.trainers, name="trainers"),
    path("projection/", views.projection_page, name="projection"),
    path("dilution/", views.dilution, name="dilution"),
    path("targets/", views.targets, name="targets"),
    path("targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/", views.target_edit, name="target_update"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
]
