"""Log-in: audit, throttling, demo accounts, idle sessions and password policy."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.accounts.services import membership_add, user_create
from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.territory.models import Territory
from tests.cast import PASSWORD


def log_in(client, username, password):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_a_log_in_is_audited_with_its_address(world, client):
    response = log_in(client, "coord_souss", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == world.coord_souss
    assert event.ip_address == "10.1.2.3"


def test_a_failed_log_in_is_audited_without_the_password(world, client):
    response = log_in(client, "coord_souss", "wrong-password")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.details == {"username": "coord_souss"}
    assert event.ip_address == "10.1.2.3"
    assert "wrong-password" not in str(event.details)


def test_log_in_is_locked_after_five_failures(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coord_souss", "wrong-password")
    response = log_in(client, "coord_souss", PASSWORD)
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_demo_accounts_log_in_only_in_demo_mode(world, client):
    User.objects.filter(pk=world.coord_souss.pk).update(is_demo=True)
    with override_settings(RELAIS_DEMO_MODE=False):
        assert log_in(client, "coord_souss", PASSWORD).status_code == 200
        assert "_auth_user_id" not in client.session
    assert log_in(client, "coord_souss", PASSWORD).status_code == 302


def test_sessions_end_after_thirty_idle_minutes_and_a_request_renews_them(
    world, client
):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.coord_souss)
    session = client.session
    session["renewed_at"] = 0  # renewed long ago: the next request renews it
    session.save()
    stored = Session.objects.get(session_key=session.session_key)
    Session.objects.filter(pk=stored.pk).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    client.get(reverse("home"))
    renewed = Session.objects.get(pk=stored.pk)
    assert renewed.expire_date > timezone.now() + timedelta(minutes=29)
    assert renewed.get_decoded()["renewed_at"] > 0

    # Within the minute, a page only reads its session: no write.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert not [
        q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert Session.objects.get(pk=stored.pk).expire_date == renewed.expire_date


@pytest.mark.parametrize("password", ["court", "123456789012", "password1234"])
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ApplicationError) as error:
        user_create(actor=world.national_admin, username="nouveau", password=password)
    assert "password" in error.value.message_dict
    assert not User.objects.filter(username="nouveau").exists()


def test_only_national_administrators_manage_accounts(world):
    with pytest.raises(ApplicationError):
        user_create(
            actor=world.coord_souss, username="nouveau", password="Un-Bon-Mot-2026"
        )
    user = user_create(
        actor=world.national_admin, username="nouveau", password="Un-Bon-Mot-2026"
    )
    assert AuditEvent.objects.filter(action="account.create", target_id=user.pk)


def test_a_role_is_held_on_a_node_that_suits_it(world):
    user = world.trainer_agadir
    with pytest.raises(ApplicationError):
        membership_add(
            actor=world.national_admin,
            user=user,
            role=Role.REGIONAL_COORDINATOR,
            territory=Territory.objects.get(code="09.001"),
        )
    with pytest.raises(ApplicationError):
        membership_add(
            actor=world.national_admin,
            user=user,
            role=Role.HUB_AGENT,
            territory=Territory.objects.get(code="09"),
        )
    membership_add(
        actor=world.national_admin,
        user=user,
        role=Role.HUB_AGENT,
        organisation=world.centre_agadir,
    )
    with pytest.raises(ApplicationError):
        membership_add(
            actor=world.national_admin,
            user=user,
            role=Role.HUB_AGENT,
            organisation=world.centre_agadir,
        )
    assert user.memberships.count() == 2


def test_an_address_that_fails_across_many_accounts_is_locked_out(
    world, client, settings
):
    """Trying one password on account after account from one address locks that
    address, even for an account it never failed on; other addresses go on."""
    settings.RELAIS_ADDRESS_FAILURE_LIMIT = 12
    for n in range(settings.RELAIS_ADDRESS_FAILURE_LIMIT):
        # Under the per-account limit for each name.
        log_in(client, f"someone.{n}", "Relais-2026")
    response = log_in(client, "coord_souss", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    other = client.post(
        reverse("login"),
        {"username": "coord_souss", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_typing_errors(
    world, client
):
    """A training room mistyping its passwords twice each stays far below the
    address rule (see AXES settings)."""
    assert settings.RELAIS_ADDRESS_FAILURE_LIMIT >= 60
    for n in range(30):
        log_in(client, f"trainee.{n}", "typo")
    assert log_in(client, "coord_souss", PASSWORD).status_code == 302
