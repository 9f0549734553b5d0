"""The public page that a certificate's QR code opens.

It shows only what a reader needs to trust the paper: the name, the certificate,
its date and whether it is valid, revoked, suspended or expired. Unknown tokens
get the same page as any other miss, and the page is rate-limited per address.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.core.ratelimit import rate_limited

from .. import selectors
from ..models import Certificate, Certification, Enrolment

VALID, REVOKED, SUSPENDED, EXPIRED = "valid", "revoked", "suspended", "expired"
STATE_LABELS = {
    VALID: _("Valid"),
    REVOKED: _("Revoked"),
    SUSPENDED: _("Suspended"),
    EXPIRED: _("Expired"),
}


def certificate_state(certificate: Certificate) -> str:
    if certificate.kind == Certificate.Kind.COMPLETION:
        completed = certificate.enrolment.status == Enrolment.Status.COMPLETED
        return VALID if completed else REVOKED
    certification = certificate.certification
    S = Certification.Status
    if certification.status == S.REVOKED:
        return REVOKED
    if certification.status == S.SUSPENDED:
        return SUSPENDED
    if certification.status == S.EXPIRED or not certification.is_valid_on(
        timezone.localdate()
    ):
        return EXPIRED
    return VALID


@login_not_required
@rate_limited(per_minute=30, scope="verify")
def verify(request, token):
    certificate = selectors.certificate_by_token(token)
    if certificate is None:
        return render(
            request, "training/verify.html", {"certificate": None}, status=404
        )
    state = certificate_state(certificate)
    programme = (
        certificate.enrolment.session.programme
        if certificate.enrolment_id
        else certificate.certification.programme
    )
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "programme": programme,
            "state": state,
            "state_label": STATE_LABELS[state],
        },
    )
