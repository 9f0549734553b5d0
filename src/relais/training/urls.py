from django.urls import path

from .views import (
    certificates,
    certifications,
    programmes,
    records,
    sessions,
    trainers,
)

app_name = "training"
urlpatterns = [
    path("programmes/", programmes.programme_index, name="programmes"),
    path("programmes/new/", programmes.programme_edit, name="programme_create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path(
        "programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_update"
    ),
    path(
        "programmes/<int:pk>/modules/", programmes.module_create, name="module_create"
    ),
    path("programmes/<int:pk>/kits/", programmes.kit_release, name="kit_release"),
    path("sessions/", sessions.session_index, name="sessions"),
    path("my-sessions/", sessions.session_index, {"mine": True}, name="my_sessions"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_update, name="session_update"),
    path("sessions/<int:pk>/status/", sessions.session_status, name="session_status"),
    path(
        "sessions/<int:pk>/facilitators/",
        sessions.facilitation_add,
        name="facilitation_add",
    ),
    path(
        "sessions/<int:pk>/facilitators/<int:facilitation_pk>/remove/",
        sessions.facilitation_remove,
        name="facilitation_remove",
    ),
    path(
        "sessions/<int:pk>/facilitators/<int:facilitation_pk>/fidelity/",
        records.fidelity_record,
        name="fidelity",
    ),
    path("sessions/<int:pk>/enrol/", sessions.enrol, name="enrol"),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/",
        sessions.enrolment_action,
        name="enrolment_action",
    ),
    path(
        "sessions/<int:pk>/attendance/<str:day>/",
        records.attendance,
        name="attendance",
    ),
    path(
        "sessions/<int:pk>/attendance/<str:day>/sheet.pdf",
        records.signin_sheet,
        name="signin_sheet",
    ),
    path(
        "sessions/<int:pk>/attendance.csv",
        records.attendance_template,
        name="attendance_template",
    ),
    path(
        "sessions/<int:pk>/attendance-import/",
        records.attendance_import,
        name="attendance_import",
    ),
    path("sessions/<int:pk>/results/", records.results_grid, name="results"),
    path(
        "sessions/<int:pk>/results.csv",
        records.results_template,
        name="results_template",
    ),
    path(
        "sessions/<int:pk>/results-import/",
        records.results_import,
        name="results_import",
    ),
    path(
        "sessions/<int:pk>/certificates.zip",
        certificates.session_certificates,
        name="session_certificates",
    ),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/certificate.pdf",
        certificates.completion_certificate,
        name="completion_certificate",
    ),
    path(
        "certifications/<int:pk>/certificate.pdf",
        certificates.trainer_certificate,
        name="trainer_certificate",
    ),
    path("people/<int:pk>/", trainers.person_history, name="person_history"),
    path("trainers/<int:pk>/", trainers.trainer_detail, name="trainer"),
    path(
        "trainers/<int:pk>/trainees/",
        trainers.trainer_children,
        name="trainer_children",
    ),
    path("certifications/", certifications.certification_index, name="certifications"),
    path(
        "certifications/<int:pk>/",
        certifications.certification_detail,
        name="certification",
    ),
    path(
        "certifications/<int:pk>/action/",
        certifications.certification_action,
        name="certification_action",
    ),
]
