from django.urls import path

from .views import catalogue, dashboard, dataprotection, desk, referrals

app_name = "hub"
urlpatterns = [
    path("", desk.desk, name="desk"),
    path("visits/", desk.visit_index, name="visits"),
    path("visits/<int:pk>/", desk.visit_detail, name="visit"),
    path("visits/<int:pk>/file/", desk.visit_open_file, name="visit_open_file"),
    path("visits/<int:pk>/notes/", desk.note_create, name="note_create"),
    path("visits/<int:pk>/consents/", desk.consent_create, name="consent_create"),
    path(
        "visits/<int:pk>/consents/<int:consent_pk>/withdraw/",
        desk.consent_withdraw,
        name="consent_withdraw",
    ),
    path("visits/<int:pk>/refer/", referrals.referral_create, name="referral_create"),
    path("notes/<int:pk>/", desk.note_detail, name="note"),
    path("notes/<int:pk>/cosign/", desk.note_cosign, name="note_cosign"),
    path("referrals/", referrals.referral_index, name="referrals"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path(
        "referrals/<int:pk>/action/",
        referrals.referral_action,
        name="referral_action",
    ),
    path(
        "referrals/<int:pk>/follow-ups/",
        referrals.follow_up_add,
        name="follow_up_add",
    ),
    path("services/", catalogue.service_index, name="services"),
    path("services/new/", catalogue.service_edit, name="service_create"),
    path("services/<int:pk>/edit/", catalogue.service_edit, name="service_update"),
    path("centres/<int:pk>/supervisors/", desk.supervisors, name="supervisors"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("settings/", dashboard.hub_settings, name="settings"),
    path("data-requests/", dataprotection.data_request_index, name="data_requests"),
    path(
        "data-requests/<int:pk>/",
        dataprotection.data_request_detail,
        name="data_request",
    ),
    path(
        "data-requests/<int:pk>/file.<str:fmt>",
        dataprotection.person_file_export,
        name="person_file",
    ),
]
