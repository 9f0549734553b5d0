"""Bad input in the hub's pages gets a clear message or a sensible fallback, never
a server error, and changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from relais.core.models import AuditEvent
from relais.hub.models import Consent, Referral

from .conftest import referral_to

# Not numbers, or numbers Python's int() refuses though str.isdigit() accepts.
NOT_NUMBERS = ["abc", "²", "1.5", "-3", " "]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_recording_consent_from_a_bad_referral_number_records_nothing(
    world, hub, client_for, value
):
    """consent_create with referral=abc: a message, back to the visit, no consent."""
    visit = hub["visit"]
    response = client_for(world.agent_dakhla).post(
        reverse("hub:consent_create", args=[visit.pk]),
        {
            "referral": value,
            "recipient": world.association_agadir.pk,
            "purpose": "Orientation",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("hub:visit", args=[visit.pk])
    assert messages_of(response)
    assert not Consent.objects.exists()


def test_recording_consent_from_another_visits_referral_records_nothing(
    world, hub, client_for
):
    """A referral number that is not one of the visit's is refused the same way."""
    response = client_for(world.agent_dakhla).post(
        reverse("hub:consent_create", args=[hub["visit"].pk]),
        {
            "referral": "99999999999999999999",
            "recipient": world.association_agadir.pk,
            "purpose": "Orientation",
        },
    )
    assert response.status_code == 302 and messages_of(response)
    assert not Consent.objects.exists()


def test_recording_consent_from_the_referral_page_returns_there(world, hub, client_for):
    referral = referral_to(world, hub)
    response = client_for(world.agent_dakhla).post(
        reverse("hub:consent_create", args=[hub["visit"].pk]),
        {
            "referral": referral.pk,
            "recipient": world.association_agadir.pk,
            "purpose": "Orientation",
        },
    )
    assert response["Location"] == reverse("hub:referral", args=[referral.pk])
    assert Consent.objects.count() == 1


@pytest.mark.parametrize("name", ["hub:referral_create", "hub:services"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_unknown_need_shows_every_service_and_says_so(
    world, hub, client_for, name, value
):
    """need=abc: the catalogue for every need, with a message."""
    kwargs = {"pk": hub["visit"].pk} if name == "hub:referral_create" else None
    response = client_for(world.agent_dakhla).get(
        reverse(name, kwargs=kwargs), {"need": value}
    )
    assert response.status_code == 200
    assert response.context["need"] is None
    assert response.context["page"].paginator.count == 2
    assert messages_of(response)


@pytest.mark.parametrize("value", [*NOT_NUMBERS, "99999999999999999999"])
def test_sending_with_a_bad_consent_number_sends_nothing(world, hub, client_for, value):
    """consent=abc: a message on the referral's page; still a draft."""
    referral = referral_to(world, hub)
    response = client_for(world.national_admin).post(
        reverse("hub:referral_action", args=[referral.pk]),
        {"action": "send", "consent": value, "override_reason": "Urgence"},
    )
    assert response.status_code == 302
    assert messages_of(response)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT
    assert not AuditEvent.objects.filter(action__startswith="referral.send").exists()


@pytest.mark.parametrize("days", ["99999999999", "0", "²", "abc", "-1"])
def test_the_dashboard_falls_back_to_90_days_on_a_bad_period(
    world, hub, client_for, days
):
    """days=99999999999: the last 90 days, and a message."""
    response = client_for(world.national_admin).get(
        reverse("hub:dashboard"), {"days": days}
    )
    assert response.status_code == 200
    assert response.context["days"] == "90"
    assert response.context["figures"]["visits"] == 1
    assert messages_of(response)


@pytest.mark.parametrize("days", ["30", "365", "all"])
def test_the_dashboard_periods_on_offer_work_silently(world, hub, client_for, days):
    response = client_for(world.national_admin).get(
        reverse("hub:dashboard"), {"days": days}
    )
    assert response.status_code == 200
    assert response.context["days"] == days
    assert not messages_of(response)
