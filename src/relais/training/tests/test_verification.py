"""The public verification page behind each certificate's QR code."""

import secrets

import pytest
from django.core.cache import cache
from django.urls import reverse

from relais.training import services
from relais.training.models import Certificate, Certification


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def page(client, certificate_or_token):
    token = getattr(certificate_or_token, "token", certificate_or_token)
    return client.get(reverse("verify", args=[token]))


def test_a_valid_certificate_shows_only_what_is_needed(client, story):
    certificate = Certificate.objects.get(enrolment=story["tot"][story["p1"]])
    assert len(certificate.token) >= 43  # 256 random bits, base64
    response = page(client, certificate)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="valid"' in content
    assert "Pilot1 Souss" in content
    # Nothing else about the person: no CIN, no phone, no scores.
    assert "CIN" not in content
    assert "16" not in content.split("<main")[1]


def test_a_revoked_trainer_certificate_says_so(client, world, story):
    certification = Certification.objects.get(person=story["p1"])
    services.certification_set_status(
        actor=world.national_admin,
        certification=certification,
        status="revoked",
        reason="Fraude",
    )
    response = page(client, certification.certificates.get())
    assert 'data-state="revoked"' in response.content.decode()
    assert "Fraude" not in response.content.decode()


def test_an_expired_trainer_certificate_says_so(client, story):
    certification = Certification.objects.get(person=story["p1"])
    Certification.objects.filter(pk=certification.pk).update(expires_on="2026-01-01")
    response = page(client, certification.certificates.get())
    assert 'data-state="expired"' in response.content.decode()


def test_unknown_tokens_give_nothing_away(client, story):
    unknown = page(client, secrets.token_urlsafe(32))
    malformed = page(client, "x")
    assert unknown.status_code == malformed.status_code == 404

    def main(response):
        return response.content.decode().split("<main")[1].split("</main>")[0]

    assert main(unknown) == main(malformed)
    assert "Pilot" not in unknown.content.decode()


def test_the_page_is_rate_limited(client, story):
    statuses = [page(client, "guess").status_code for _ in range(35)]
    assert statuses[:30] == [404] * 30
    assert statuses[-1] == 429
