"""AccountPolicy and AuditPolicy in the one shape of relais.core.access."""

import pytest

from relais.accounts.policies import AccountPolicy, AuditPolicy
from relais.accounts.selectors import audit_event_list
from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_national_administrators_manage_accounts(world):
    assert AccountPolicy.can(world.national_admin, "manage")
    assert not AccountPolicy.can(world.coord_souss, "manage")
    with pytest.raises(ApplicationError) as refused:
        AccountPolicy.require(world.coord_souss, "manage")
    assert refused.value.messages == [str(AccountPolicy.actions["manage"])]


def test_the_audit_log_is_read_within_the_auditors_scope(world):
    national = AuditEvent.objects.filter(territory_path__startswith="MA/")
    assert national.exists()
    readable = AuditEvent.objects.filter(AuditPolicy.readable(world.auditor_national))
    assert set(readable) == set(national)
    assert not audit_event_list(actor=world.trainer_agadir).exists()
