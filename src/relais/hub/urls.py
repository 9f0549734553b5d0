from django.urls import path

from . import views

app_name = "hub"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("visits/", views.visit_index, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/file/", views.visit_open_file, name="visit_open_file"),
    path("visits/<int:pk>/notes/", views.note_create, name="note_create"),
    path("visits/<int:pk>/consents/", views.consent_create, name="consent_create"),
    path(
        "visits/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("visits/<int:pk>/refer/", views.referral_create, name="referral_create"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("notes/<int:pk>/cosign/", views.note_cosign, name="note_cosign"),
    path("referrals/", views.referral_index, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/action/", views.referral_action, name="referral_action"),
    path("referrals/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("services/", views.service_index, name="services"),
    path("services/new/", views.service_edit, name="service_create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_update"),
    path("centres/<int:pk>/supervisors/", views.supervisors, name="supervisors"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("settings/", views.hub_settings, name="settings"),
    path("data-requests/", views.data_request_index, name="data_requests"),
    path("data-requests/<int:pk>/", views.data_request_detail, name="data_request"),
    path(
        "data-requests/<int:pk>/file.<str:fmt>",
        views.person_file_export,
        name="person_file",
    ),
]
