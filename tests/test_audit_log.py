"""The audit log: who may read it, and that it is scoped like everything else."""

from django.urls import reverse

from relais.accounts.models import RoleMembership
from relais.core.audit import audit
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.territory.models import Territory


def test_the_auditor_reads_the_log(world, client_for):
    audit(world.coord_souss, "person.update", world.person_agadir)
    response = client_for(world.auditor_national).get(reverse("audit"))
    assert response.status_code == 200
    assert "person.update" in response.content.decode()


def test_a_regional_auditor_sees_only_their_region(world, client_for):
    auditor = world.auditor_national
    auditor.memberships.all().delete()
    RoleMembership.objects.create(
        user=auditor, role=Role.AUDITOR, territory=Territory.objects.get(code="02")
    )
    audit(world.coord_souss, "person.update", world.person_agadir)
    audit(world.coord_oriental, "person.view_identifiers", world.person_oujda)
    page = client_for(auditor).get(reverse("audit")).content.decode()
    assert "<code>person.view_identifiers</code>" in page
    assert "<code>person.update</code>" not in page


def test_viewing_a_cin_in_full_is_audited(world, client_for):
    client = client_for(world.coord_souss)
    page = client.get(reverse("people:detail", args=[world.person_agadir.pk]))
    assert "JB123456" in page.content.decode()
    assert world.person_agadir.cin_masked not in page.content.decode()
    event = AuditEvent.objects.get(action="person.view_identifiers")
    assert event.actor == world.coord_souss


def test_roles_without_the_right_see_the_cin_masked(world, client_for):
    page = client_for(world.focal_association).get(
        reverse("people:detail", args=[world.person_association.pk])
    )
    content = page.content.decode()
    assert "J111222" not in content
    assert world.person_association.cin_masked in content
