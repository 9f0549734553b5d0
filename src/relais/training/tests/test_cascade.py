"""From the training of trainers to end users: completion, certification, lineage.

The story, by hand: master trainers A and B (generation 0) run a training of
trainers; P1 completes it (generation 1) and is observed co-facilitating a relay
session led by B; once certified, P1 leads a relay session that R1 completes
(generation 2); R1, observed and certified in turn, leads an end-user session that
S1 completes (generation 3).
"""

import datetime

import pytest
from django.core.management import call_command

from relais.core.errors import ApplicationError
from relais.training import lineage, services
from relais.training.models import (
    Certificate,
    Certification,
    Enrolment,
    Facilitation,
    Lineage,
    Session,
)

from .conftest import plan

E = Enrolment.Status
F = Facilitation.Role
L = Session.Level


def test_completion_applies_the_programmes_rules_with_reasons(story):
    tot = story["tot"]
    assert tot[story["p1"]].status == E.COMPLETED
    assert tot[story["p2"]].status == E.FAILED
    assert tot[story["p2"]].outcome["reasons"] == ["post_test"]
    assert tot[story["p3"]].outcome["reasons"] == ["attendance"]
    assert tot[story["p3"]].outcome["attendance"] == 50.0
    assert "50%" in services.outcome_text(tot[story["p3"]].outcome)
    assert Certificate.objects.filter(enrolment=tot[story["p1"]]).exists()
    assert not Certificate.objects.filter(enrolment=tot[story["p2"]]).exists()


def test_a_certificate_request_for_someone_who_did_not_complete_is_refused(story):
    with pytest.raises(ApplicationError) as error:
        services.completion_certificate(story["tot"][story["p2"]])
    assert "Pilot2" in str(error.value)


def test_a_completion_without_its_certificate_is_refused_clearly(story):
    """A history carried over from before Relais may hold completions without
    certificates: asking for one says so, it does not fail."""
    completed = story["tot"][story["p1"]]
    Certificate.objects.filter(enrolment=completed).delete()
    with pytest.raises(ApplicationError) as error:
        services.completion_certificate(completed)
    assert "Aucune attestation" in str(error.value)


def test_generations_follow_who_trained_whom(story):
    generation = dict(Lineage.objects.values_list("person_id", "generation"))
    expected = {"a": 0, "b": 0, "p1": 1, "q1": 1, "r1": 2, "s1": 3}
    assert {k: generation.get(story[k].pk) for k in expected} == expected
    # Those who did not complete were not trained by anyone.
    for name in ("p2", "p3", "r2"):
        assert story[name].pk not in generation


def test_rebuild_reproduces_the_stored_lineage_exactly(story):
    kept_current = lineage.snapshot()
    assert kept_current[0]
    lineage.rebuild()
    assert lineage.snapshot() == kept_current
    call_command("lineage", "check")


def test_descendants_by_generation(story):
    # P1 co-facilitated REL-0, so Q1 (generation 1 through B) counts among P1's
    # trainees too; observers train nobody.
    assert lineage.descendants_by_generation(story["p1"].pk) == [(1, 1), (2, 1), (3, 1)]
    assert lineage.descendants_by_generation(story["a"].pk) == [(1, 2), (2, 1), (3, 1)]
    assert lineage.descendants_by_generation(story["b"].pk) == [(1, 1)]


def test_certification_needs_every_criterion(world, story):
    q1 = Certification.objects.get(person=story["q1"])
    assert q1.status == Certification.Status.CANDIDATE
    with pytest.raises(ApplicationError):
        services.certification_certify(actor=world.coord_souss, certification=q1)
    met = [c["met"] for c in services.criteria(q1)]
    assert met == [True, False]
    q1.refresh_from_db()
    assert q1.status == Certification.Status.CANDIDATE


def test_certified_trainers_get_a_renewal_date_and_a_certificate(story):
    p1 = Certification.objects.get(person=story["p1"])
    assert p1.status == Certification.Status.CERTIFIED
    assert (p1.expires_on - p1.certified_on).days in range(728, 733)
    assert p1.certificates.get().kind == Certificate.Kind.TRAINER


def test_only_certified_trainers_lead_relay_sessions(world, programme, story):
    session = plan(world, programme, "REL-9", datetime.date(2026, 12, 14))
    with pytest.raises(ApplicationError):
        services.facilitation_assign(
            actor=world.national_admin, session=session, person=story["q1"], role=F.LEAD
        )
    tot = plan(
        world,
        programme,
        "TOT-9",
        datetime.date(2026, 12, 14),
        level=L.TRAINING_OF_TRAINERS,
    )
    with pytest.raises(ApplicationError):
        services.facilitation_assign(
            actor=world.national_admin, session=tot, person=story["p1"], role=F.LEAD
        )
    services.facilitation_assign(
        actor=world.national_admin, session=tot, person=story["a"], role=F.LEAD
    )


def test_suspension_revocation_and_expiry(world, story):
    p1 = Certification.objects.get(person=story["p1"])
    with pytest.raises(ApplicationError):
        services.certification_set_status(
            actor=world.coord_souss, certification=p1, status="suspended"
        )
    services.certification_set_status(
        actor=world.coord_souss, certification=p1, status="suspended", reason="Absent"
    )
    services.certification_set_status(
        actor=world.coord_souss, certification=p1, status="certified"
    )
    with pytest.raises(ApplicationError):
        services.certification_set_status(
            actor=world.coord_oriental, certification=p1, status="revoked", reason="x"
        )
    p1.refresh_from_db()
    services.certifications_expire(day=p1.expires_on)
    p1.refresh_from_db()
    assert p1.status == Certification.Status.CERTIFIED
    services.certifications_expire(day=p1.expires_on + datetime.timedelta(days=1))
    p1.refresh_from_db()
    assert p1.status == Certification.Status.EXPIRED
