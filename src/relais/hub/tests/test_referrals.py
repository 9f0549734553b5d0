"""The referral life cycle: consent gate, override, answers, deadlines, closure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.hub import jobs, services
from relais.hub.models import Referral, Reminder
from relais.hub.selectors import referral_get
from tests.cast import make_user

from .conftest import referral_to

R = Referral.Status


def consent(world, hub, recipient=None):
    return services.consent_record(
        actor=world.agent_dakhla,
        visit=hub["visit"],
        recipient=recipient or world.association_agadir,
        purpose="Orientation vers l'accompagnement juridique",
    )


def test_nothing_leaves_the_centre_without_consent(world, hub):
    referral = referral_to(world, hub)
    with pytest.raises(ApplicationError) as error:
        services.referral_send(actor=world.agent_dakhla, referral=referral)
    assert "consent" in str(error.value).lower() or "consentement" in str(error.value)
    referral.refresh_from_db()
    assert referral.status == R.DRAFT
    assert referral.sent_at is None


def test_consent_to_someone_else_does_not_count(world, hub):
    referral = referral_to(world, hub)
    other = consent(world, hub, recipient=world.centre_oujda)
    with pytest.raises(ApplicationError):
        services.referral_send(
            actor=world.agent_dakhla, referral=referral, consent=other
        )


def test_withdrawn_consent_does_not_count(world, hub):
    referral = referral_to(world, hub)
    given = consent(world, hub)
    services.consent_withdraw(actor=world.agent_dakhla, consent=given)
    given.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.referral_send(
            actor=world.agent_dakhla, referral=referral, consent=given
        )


def test_with_consent_the_referral_is_sent_with_a_deadline(world, hub):
    referral = referral_to(world, hub)
    given = consent(world, hub)
    referral = services.referral_send(
        actor=world.agent_dakhla, referral=referral, consent=given
    )
    assert referral.status == R.SENT
    assert referral.consent == given
    assert referral.accept_by - referral.sent_at == datetime.timedelta(hours=72)


def test_a_referral_within_the_centre_needs_no_consent(world, hub):
    referral = referral_to(world, hub, hub["e_services"])
    assert (
        services.referral_send(actor=world.agent_dakhla, referral=referral).status
        == R.SENT
    )


def test_override_needs_the_role_and_a_reason_and_is_audited(world, hub):
    referral = referral_to(world, hub)
    with pytest.raises(ApplicationError):
        services.referral_send(
            actor=world.agent_dakhla, referral=referral, override_reason="Urgence"
        )
    manager = _manager_of_dakhla(world)
    with pytest.raises(ApplicationError):
        services.referral_send(actor=manager, referral=referral, override_reason=" ")
    referral = services.referral_send(
        actor=manager, referral=referral, override_reason="Danger immédiat"
    )
    assert referral.status == R.SENT
    assert referral.overridden_by == manager
    event = AuditEvent.objects.get(action="referral.consent_override")
    assert event.details == {"reason": "Danger immédiat"}


def _manager_of_dakhla(world):
    return make_user(
        "manager_dakhla", Role.CENTRE_MANAGER, organisation=world.centre_dakhla
    )


def sent(world, hub):
    referral = referral_to(world, hub)
    return services.referral_send(
        actor=world.agent_dakhla, referral=referral, consent=consent(world, hub)
    )


def test_the_receiving_side_accepts_then_completes(world, hub):
    referral = sent(world, hub)
    with pytest.raises(ApplicationError):
        services.referral_accept(actor=world.agent_dakhla, referral=referral)
    referral = services.referral_accept(
        actor=world.focal_association, referral=referral
    )
    assert referral.status == R.ACCEPTED and referral.complete_by
    referral = services.referral_start(actor=world.focal_association, referral=referral)
    referral = services.referral_complete(
        actor=world.focal_association, referral=referral
    )
    assert referral.status == R.COMPLETED
    # The loop is closed: the referring centre sees the outcome.
    assert referral_get(actor=world.agent_dakhla, pk=referral.pk).status == R.COMPLETED


def test_declining_needs_a_reason(world, hub):
    referral = sent(world, hub)
    with pytest.raises(ApplicationError):
        services.referral_decline(
            actor=world.focal_association, referral=referral, reason=""
        )
    referral = services.referral_decline(
        actor=world.focal_association, referral=referral, reason="Hors de notre mandat"
    )
    assert referral.status == R.DECLINED


def test_a_second_acceptance_is_told_someone_acted_first(world, hub):
    referral = sent(world, hub)
    services.referral_accept(actor=world.focal_association, referral=referral)
    with pytest.raises(ApplicationError) as error:
        services.referral_accept(actor=world.national_admin, referral=referral)
    assert str(Referral.Status.ACCEPTED.label) in str(error.value)
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1


@pytest.mark.parametrize(
    "reason", [c for c in Referral.ClosureReason.values if c != "other"]
)
def test_closure_reasons(world, hub, reason):
    referral = sent(world, hub)
    referral = services.referral_close(
        actor=world.focal_association, referral=referral, reason=reason
    )
    assert referral.status == R.CLOSED and referral.closure_reason == reason


def test_other_closure_needs_a_note_and_unknown_reasons_are_refused(world, hub):
    referral = sent(world, hub)
    with pytest.raises(ApplicationError):
        services.referral_close(
            actor=world.agent_dakhla, referral=referral, reason="other"
        )
    with pytest.raises(ApplicationError):
        services.referral_close(
            actor=world.agent_dakhla, referral=referral, reason="bored"
        )
    referral.refresh_from_db()
    assert referral.status == R.SENT


def test_reminders_before_deadlines_are_sent_once(world, hub):
    referral = sent(world, hub)
    soon = referral.accept_by - datetime.timedelta(hours=12)
    assert jobs.reminders_send(now=referral.sent_at) == 0
    assert jobs.reminders_send(now=soon) == 1
    assert jobs.reminders_send(now=soon) == 0
    referral = services.referral_accept(
        actor=world.focal_association, referral=referral
    )
    assert (
        jobs.reminders_send(now=referral.complete_by - datetime.timedelta(hours=1)) == 1
    )
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        "answer_due",
        "completion_due",
    }


def test_follow_ups_are_dated_notes_from_either_side(world, hub):
    referral = sent(world, hub)
    services.followup_add(
        actor=world.focal_association,
        referral=referral,
        date=timezone.localdate(),
        note="Premier rendez-vous fixé",
    )
    with pytest.raises(ApplicationError):
        services.followup_add(
            actor=world.agent_dakhla,
            referral=referral,
            date=timezone.localdate() + datetime.timedelta(days=2),
            note="Plus tard",
        )
    with pytest.raises(ApplicationError):
        services.followup_add(
            actor=world.coord_oriental,
            referral=referral,
            date=timezone.localdate(),
            note="Pas à moi",
        )
    assert referral.follow_ups.count() == 1


def test_the_receiving_side_sees_what_awaits_it_and_what_was_reminded(
    world, hub, client_for
):
    referral = sent(world, hub)
    client = client_for(world.focal_association)
    home = client.get(reverse("home")).content.decode()
    assert 'badge text-bg-danger">1<' in home
    jobs.reminders_send(now=referral.accept_by - datetime.timedelta(hours=1))
    listing = client.get(reverse("hub:referrals") + "?box=received").content.decode()
    assert "text-bg-warning" in listing


def test_the_home_badge_stops_counting_past_its_most(
    world, hub, client_for, monkeypatch
):
    """Nationally tens of thousands wait: the badge says "99+" instead of
    counting them all on every home page (here its most is 0, to need one)."""
    from relais.hub import selectors

    sent(world, hub)
    monkeypatch.setattr(selectors, "BADGE_MOST", 0)
    home = client_for(world.focal_association).get(reverse("home")).content.decode()
    assert 'badge text-bg-danger">0+<' in home


def test_the_receiving_side_sees_and_acts_on_a_referral_only_once_it_is_sent(
    world, hub, client_for
):
    """A draft stays with the referring centre: before consent and sending, the
    receiving organisation neither reads the person's name and reason nor acts on
    it, on any path; once sent, it does."""
    from relais.hub.selectors import referral_list, referrals_awaiting_answer

    hub["visit"] = services.visit_open_file(
        actor=world.agent_dakhla,
        visit=hub["visit"],
        first_name="Aicha",
        last_name="Bouazza",
    )
    draft = referral_to(world, hub)
    receiver = world.focal_association
    client = client_for(receiver)
    detail = reverse("hub:referral", args=[draft.pk])
    assert client.get(detail).status_code == 404
    for box in ("", "sent", "received"):
        listing = client.get(reverse("hub:referrals"), {"box": box}).content.decode()
        assert "Bouazza" not in listing and detail not in listing
        assert not referral_list(actor=receiver, box=box).filter(pk=draft.pk).exists()
    assert referrals_awaiting_answer(actor=receiver) == 0
    for url, data in [
        (reverse("hub:referral_action", args=[draft.pk]), {"action": "close"}),
        (
            reverse("hub:follow_up_add", args=[draft.pk]),
            {"date": timezone.localdate().isoformat(), "note": "Vu"},
        ),
    ]:
        assert (
            client.post(url, data | {"reason": "other", "note": "x"}).status_code == 404
        )
    with pytest.raises(ApplicationError):
        services.referral_close(actor=receiver, referral=draft, reason="no_capacity")
    with pytest.raises(ApplicationError):
        services.followup_add(
            actor=receiver, referral=draft, date=timezone.localdate(), note="Vu"
        )
    draft.refresh_from_db()
    assert draft.status == R.DRAFT and not draft.follow_ups.exists()
    # The referring centre still works on its draft.
    assert client_for(world.agent_dakhla).get(detail).status_code == 200

    services.referral_send(
        actor=world.agent_dakhla, referral=draft, consent=consent(world, hub)
    )
    client = client_for(receiver)
    assert "Bouazza" in client.get(detail).content.decode()
    assert referrals_awaiting_answer(actor=receiver) == 1


def test_consent_forms_draw_no_list_of_the_countrys_organisations(
    world, hub, client_for
):
    """The organisations of the country are hundreds: drawn in every visit's and
    referral's page they took a fifth of a second each. The referral's consent
    carries its provider; the visit's own consent has a page of its own."""
    referral = referral_to(world, hub)
    client = client_for(world.agent_dakhla)
    consent_page = reverse("hub:consent_create", args=[hub["visit"].pk])
    visit = client.get(reverse("hub:visit", args=[hub["visit"].pk])).content.decode()
    assert 'name="recipient"' not in visit and consent_page in visit
    detail = client.get(reverse("hub:referral", args=[referral.pk])).content.decode()
    provider = referral.service.provider
    assert f'type="hidden" name="recipient" value="{provider.pk}"' in detail
    assert '<select name="recipient"' not in detail
    form = client.get(consent_page).content.decode()
    assert '<select name="recipient"' in form
    response = client.post(
        consent_page, {"recipient": provider.pk, "purpose": "Orientation"}
    )
    assert response.status_code == 302
    assert hub["visit"].consents.filter(recipient=provider).exists()
