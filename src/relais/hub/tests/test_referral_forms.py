"""One small form per action on a referral: what a page posts is checked before
the service runs. An invalid post refuses with a clear message and changes
nothing; the service's own refusals (wrong side, wrong state) still say why."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from relais.core.models import AuditEvent
from relais.hub import services
from relais.hub.forms import (
    AcceptForm,
    CloseForm,
    CompleteForm,
    DeclineForm,
    SendForm,
    StartForm,
)
from relais.hub.models import Referral

from .conftest import referral_to

R = Referral.Status


def consent(world, hub, recipient=None):
    return services.consent_record(
        actor=world.agent_dakhla,
        visit=hub["visit"],
        recipient=recipient or world.association_agadir,
        purpose="Orientation",
    )


def sent(world, hub) -> Referral:
    referral = referral_to(world, hub)
    return services.referral_send(
        actor=world.agent_dakhla, referral=referral, consent=consent(world, hub)
    )


def errors_of(form) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


# -- The forms --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "²", "1.5", "-3", " ", "99999999999"])
def test_send_refuses_a_consent_that_is_not_one_of_the_visits(world, hub, value):
    form = SendForm({"consent": value}, referral=referral_to(world, hub))
    assert not form.is_valid()
    assert errors_of(form) == [_("Choose a consent recorded for this visit.")]


def test_send_refuses_another_visits_consent_and_takes_its_own(world, hub):
    referral = referral_to(world, hub)
    other_visit = services.visit_record(
        actor=world.agent_dakhla,
        centre=world.centre_dakhla,
        channel="walk_in",
        needs=list(hub["visit"].needs.all()),
    )
    other = services.consent_record(
        actor=world.agent_dakhla,
        visit=other_visit,
        recipient=world.association_agadir,
        purpose="Orientation",
    )
    assert not SendForm({"consent": other.pk}, referral=referral).is_valid()
    own = consent(world, hub)
    form = SendForm({"consent": own.pk}, referral=referral)
    assert form.is_valid() and form.cleaned_data["consent"] == own
    # No consent at all is for the service to judge (an override, or a refusal).
    form = SendForm({}, referral=referral)
    assert form.is_valid() and form.cleaned_data["consent"] is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_decline_needs_a_reason(world, hub, reason):
    form = DeclineForm({"reason": reason}, referral=sent(world, hub))
    assert not form.is_valid()
    assert errors_of(form) == [_("Say why the referral is declined.")]


@pytest.mark.parametrize("data", [{}, {"reason": "nope"}])
def test_close_needs_one_of_the_stated_reasons(world, hub, data):
    form = CloseForm(data, referral=referral_to(world, hub))
    assert not form.is_valid()
    assert errors_of(form) == [_("Choose why the referral is closed.")]


@pytest.mark.parametrize("form_class", [AcceptForm, StartForm, CompleteForm])
def test_the_answers_without_words_ask_for_nothing(world, hub, form_class):
    form = form_class({"anything": "else"}, referral=sent(world, hub))
    assert form.is_valid() and form.cleaned_data == {}


# -- The page ---------------------------------------------------------------------


def post(client, referral, data) -> tuple[list[str], str]:
    """Post an action; the messages it leaves, and the language they are in."""
    response = client.post(reverse("hub:referral_action", args=[referral.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("hub:referral", args=[referral.pk])
    language = response.wsgi_request.LANGUAGE_CODE
    return [str(m) for m in get_messages(response.wsgi_request)], language


def referral_events() -> int:
    return AuditEvent.objects.filter(action__startswith="referral.").count()


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"action": "send", "consent": "abc"},
            "Choose a consent recorded for this visit.",
        ),
        ({"action": "close", "reason": "nope"}, "Choose why the referral is closed."),
        ({"action": "close"}, "Choose why the referral is closed."),
        ({"action": "accept"}, "Only the receiving side can do this."),
        ({"action": "start"}, "Only the receiving side can do this."),
        ({"action": "complete"}, "Only the receiving side can do this."),
        ({"action": "decline", "reason": " "}, "Say why the referral is declined."),
        ({"action": "archive"}, "Choose what to do with this referral."),
        ({}, "Choose what to do with this referral."),
    ],
)
def test_a_bad_post_on_a_draft_refuses_with_its_message_and_changes_nothing(
    world, hub, client_for, data, message
):
    referral = referral_to(world, hub)
    events = referral_events()
    messages, language = post(client_for(world.agent_dakhla), referral, data)
    with translation.override(language):
        assert messages == [_(message)]
    referral.refresh_from_db()
    assert referral.status == R.DRAFT and referral.sent_at is None
    assert referral_events() == events


@pytest.mark.parametrize(
    "data",
    [
        {"action": "decline", "reason": "  "},
        {"action": "start"},
        {"action": "close", "reason": "nope", "note": "x"},
    ],
)
def test_a_bad_post_on_a_sent_referral_changes_nothing(world, hub, client_for, data):
    """The receiving side: a decline without a reason, a start before accepting,
    a closure without a stated reason."""
    referral = sent(world, hub)
    events = referral_events()
    messages, _language = post(client_for(world.focal_association), referral, data)
    assert len(messages) == 1
    referral.refresh_from_db()
    assert referral.status == R.SENT and referral.finished_at is None
    assert referral_events() == events


def test_a_good_post_runs_the_service(world, hub, client_for):
    referral = sent(world, hub)
    client = client_for(world.focal_association)
    messages, language = post(
        client, referral, {"action": "decline", "reason": "Pas de place"}
    )
    with translation.override(language):
        assert messages == [_("The referral was updated.")]
    referral.refresh_from_db()
    assert referral.status == R.DECLINED
    assert referral.decline_reason == "Pas de place"
