"""`relais demo`: a believable Pôle social, loaded as often as one likes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from relais.accounts.models import User
from relais.core.roles import Role
from relais.hub.models import DataRequest, ListeningNote, Referral, Visit
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.training.models import Certification, Enrolment, Lineage, Session

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        User.objects.count(),
    )


def test_the_demo_loads_once_and_again_without_duplicates(capsys):
    call_command("demo")
    first = counts()
    output = capsys.readouterr().out
    call_command("demo")
    assert counts() == first

    K = Organisation.Kind
    centres = Organisation.objects.filter(kind=K.SOCIAL_CENTRE)
    assert centres.count() >= 40
    assert {c.territory_path.split("/")[1] for c in centres} == {
        f"{n:02d}" for n in range(1, 13)
    }
    assert centres.filter(territory_path__startswith="MA/12/").count() >= 3
    assert Organisation.objects.filter(kind=K.ASSOCIATION).count() >= 20
    assert Organisation.objects.filter(kind=K.REGIONAL_DELEGATION).count() == 12
    assert Organisation.objects.filter(kind=K.EN_COORDINATION).count() == 12
    assert Organisation.objects.filter(kind=K.CENTRAL_SERVICE).count() >= 3
    assert Person.objects.count() >= 300
    assert not Person.objects.filter(first_name_ar="").exists()
    assert not Person.objects.filter(affiliations__isnull=True).exists()

    # One log-in per role, printed for the newcomer, each a demo account.
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles == set(Role.values)
    for role in Role.values:
        assert any(
            u.username in output for u in User.objects.filter(memberships__role=role)
        ), role
    for user in User.objects.all():
        assert user.is_demo


def test_the_demo_tells_the_cascade_story():
    call_command("demo")
    sessions = Session.objects.all()
    tot = sessions.filter(level="tot").order_by("start_date")
    assert [(s.start_date.month, s.phase) for s in tot] == [
        (7, "Phase 1"),
        (9, "Phase 2"),
    ]
    for session in tot:
        assert 45 <= session.enrolments.count() <= 50
    relay = sessions.filter(
        level="relay", start_date__range=("2026-10-01", "2026-11-30")
    )
    assert 55 <= relay.count() <= 65
    assert {s.territory_path.split("/")[1] for s in relay} == {
        f"{n:02d}" for n in range(1, 13)
    }
    assert sessions.filter(level="end_user").exists()
    assert (
        sessions.filter(start_date__month=12, status__in=["open", "planned"]).count()
        >= 3
    )
    assert Certification.objects.filter(level="master_trainer").count() == 4
    relay_trainers = Certification.objects.filter(level="relay_trainer")
    assert relay_trainers.filter(status="certified").exists()
    assert relay_trainers.filter(status="candidate").exists()
    assert Enrolment.objects.filter(status="failed").exists()
    assert Enrolment.objects.filter(status="waitlisted").exists()
    assert Enrolment.objects.filter(status="registered").exists()
    generations = set(Lineage.objects.values_list("generation", flat=True))
    assert generations == {0, 1, 2, 3}
    call_command("lineage", "check")


def test_the_demo_runs_hubs_in_dakhla_and_three_other_regions():
    call_command("demo")
    regions = {
        p.split("/")[1] for p in Visit.objects.values_list("territory_path", flat=True)
    }
    assert "12" in regions and len(regions) >= 4
    months = {d.month for d in Visit.objects.values_list("created_at", flat=True)}
    assert {9, 10, 11} <= months
    assert ListeningNote.objects.filter(status="awaiting").exists()
    assert ListeningNote.objects.filter(status="final").exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(
        Referral.Status.values
    )
    assert Referral.objects.exclude(override_reason="").exists()
    assert DataRequest.objects.filter(status="answered").exists()


def test_the_demo_refuses_to_run_outside_demo_mode():
    with override_settings(RELAIS_DEMO_MODE=False), pytest.raises(CommandError):
        call_command("demo")
    assert counts() == (0, 0, 0)
