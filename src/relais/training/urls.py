from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("programmes/", views.programme_index, name="programmes"),
    path("programmes/new/", views.programme_edit, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_update"),
    path("programmes/<int:pk>/modules/", views.module_create, name="module_create"),
    path("programmes/<int:pk>/kits/", views.kit_release, name="kit_release"),
    path("sessions/", views.session_index, name="sessions"),
    path("my-sessions/", views.session_index, {"mine": True}, name="my_sessions"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_update, name="session_update"),
    path("sessions/<int:pk>/status/", views.session_status, name="session_status"),
    path(
        "sessions/<int:pk>/facilitators/",
        views.facilitation_add,
        name="facilitation_add",
    ),
    path(
        "sessions/<int:pk>/facilitators/<int:facilitation_pk>/remove/",
        views.facilitation_remove,
        name="facilitation_remove",
    ),
    path(
        "sessions/<int:pk>/facilitators/<int:facilitation_pk>/fidelity/",
        views.fidelity_record,
        name="fidelity",
    ),
    path("sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/",
        views.enrolment_action,
        name="enrolment_action",
    ),
    path(
        "sessions/<int:pk>/attendance/<str:day>/",
        views.attendance,
        name="attendance",
    ),
    path(
        "sessions/<int:pk>/attendance/<str:day>/sheet.pdf",
        views.signin_sheet,
        name="signin_sheet",
    ),
    path(
        "sessions/<int:pk>/attendance.csv",
        views.attendance_template,
        name="attendance_template",
    ),
    path(
        "sessions/<int:pk>/attendance-import/",
        views.attendance_import,
        name="attendance_import",
    ),
    path("sessions/<int:pk>/results/", views.results_grid, name="results"),
    path(
        "sessions/<int:pk>/results.csv",
        views.results_template,
        name="results_template",
    ),
    path(
        "sessions/<int:pk>/results-import/",
        views.results_import,
        name="results_import",
    ),
    path(
        "sessions/<int:pk>/certificates.zip",
        views.session_certificates,
        name="session_certificates",
    ),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/certificate.pdf",
        views.completion_certificate,
        name="completion_certificate",
    ),
    path(
        "certifications/<int:pk>/certificate.pdf",
        views.trainer_certificate,
        name="trainer_certificate",
    ),
    path("people/<int:pk>/", views.person_history, name="person_history"),
    path("trainers/<int:pk>/", views.trainer_detail, name="trainer"),
    path(
        "trainers/<int:pk>/trainees/", views.trainer_children, name="trainer_children"
    ),
    path("certifications/", views.certification_index, name="certifications"),
    path(
        "certifications/<int:pk>/",
        views.certification_detail,
        name="certification",
    ),
    path(
        "certifications/<int:pk>/action/",
        views.certification_action,
        name="certification_action",
    ),
]
