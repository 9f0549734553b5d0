"""`relais demo`: a believable Pôle social, loaded as often as one likes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from relais.accounts.models import User
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.people.models import Person

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
    assert 280 <= Person.objects.count() <= 340
    assert not Person.objects.filter(first_name_ar="").exists()
    assert not Person.objects.filter(affiliations__isnull=True).exists()

    # One log-in per role, printed for the newcomer, each a demo account.
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles == set(Role.values)
    for user in User.objects.all():
        assert user.is_demo
        assert user.username in output
        assert user.person is not None


def test_the_demo_refuses_to_run_outside_demo_mode():
    with override_settings(RELAIS_DEMO_MODE=False), pytest.raises(CommandError):
        call_command("demo")
    assert counts() == (0, 0, 0)
