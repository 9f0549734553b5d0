"""The client address: REMOTE_ADDR, or X-Forwarded-For as far as trusted proxies
wrote it; the same address for the audit log, the rate limits and the lock-out."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from relais.core.context import client_ip
from relais.core.models import AuditEvent
from tests.cast import PASSWORD

PROXY = "10.0.0.1"


def request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    """With no proxy in front, anyone can write X-Forwarded-For: it is ignored."""
    settings.RELAIS_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.9")) == PROXY
    assert client_ip(request("203.0.113.9, 198.51.100.1")) == PROXY


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    """The proxy appends the address it saw; what the client wrote before it is
    not believed."""
    settings.RELAIS_TRUSTED_PROXIES = 1
    assert client_ip(request("198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.RELAIS_TRUSTED_PROXIES = 2
    assert client_ip(request("1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "198.51.100.7", "unknown, ", "a, b"])
def test_a_header_that_proxies_cannot_have_written_falls_back_to_the_socket(
    settings, forwarded
):
    """Too few entries or an entry that is no address: REMOTE_ADDR, never junk."""
    settings.RELAIS_TRUSTED_PROXIES = 2
    assert client_ip(request(forwarded)) == PROXY


def log_in(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_spoofed_address_reaches_neither_the_audit_log_nor_the_lock_out(
    world, client, settings
):
    """Without trusted proxies, changing X-Forwarded-For at each try neither hides
    the real address in the audit log nor escapes the lock-out."""
    settings.RELAIS_TRUSTED_PROXIES = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coord_souss", "wrong-password", f"203.0.113.{n}")
    assert set(
        AuditEvent.objects.filter(action="auth.login_failed").values_list(
            "ip_address", flat=True
        )
    ) == {PROXY}
    assert log_in(client, "coord_souss", PASSWORD, "203.0.113.99").status_code == 429


def test_behind_a_proxy_one_address_locked_out_does_not_lock_the_account_elsewhere(
    world, client, settings
):
    """Someone failing five times from one address cannot lock the account out
    for its owner, who logs in from another address through the same proxy."""
    settings.RELAIS_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coord_souss", "wrong-password", "203.0.113.5")
    assert log_in(client, "coord_souss", PASSWORD, "203.0.113.5").status_code == 429
    response = log_in(client, "coord_souss", PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.ip_address == "198.51.100.7"
