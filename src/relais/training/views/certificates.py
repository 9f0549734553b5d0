"""Certificates as PDF: a participant's certificate of completion, a trainer's
certificate, and every completion certificate of a session in one ZIP. Each
carries a QR code that opens the public verification page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from relais.core.actions import report
from relais.core.downloads import offer
from relais.core.errors import ApplicationError

from .. import documents, selectors, services
from ..policies import SessionPolicy


def _verify_url(request, certificate) -> str:
    return request.build_absolute_uri(reverse("verify", args=[certificate.token]))


def _pdf_response(request, certificate):
    pdf = documents.certificate_pdf(certificate, _verify_url(request, certificate))
    return offer(
        request,
        HttpResponse(pdf, content_type="application/pdf"),
        filename=documents.certificate_filename(certificate),
        action="certificate.download",
        target=certificate,
    )


def completion_certificate(request, pk, enrolment_pk):
    """A participant's certificate of completion, if they completed.

    It names the person: served to those who run or record the session and to
    those who may see the person; a 404 for others, like a missing one.
    """
    session = selectors.session_get(actor=request.user, pk=pk)
    enrolment = selectors.enrolment_named_get(
        actor=request.user, session=session, pk=enrolment_pk
    )
    try:
        certificate = services.completion_certificate(enrolment)
    except ApplicationError as error:
        report(request, error)
        return redirect("training:session", pk=session.pk)
    return _pdf_response(request, certificate)


def trainer_certificate(request, pk):
    """The trainer certificate of a certification the reader may decide on."""
    certification = selectors.certification_get(actor=request.user, pk=pk)
    certificate = selectors.latest_certificate(certification)
    if certificate is None:
        messages.error(request, _("This trainer has not been certified yet."))
        return redirect("training:certification", pk=certification.pk)
    return _pdf_response(request, certificate)


def session_certificates(request, pk):
    """Every completion certificate of a session, in one ZIP."""
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can(request.user, "manage", session):
        raise Http404
    certificates = selectors.session_certificates(session)
    if not certificates:
        messages.error(request, _("This session has no certificates yet."))
        return redirect("training:session", pk=session.pk)
    archive = documents.certificates_zip(
        [
            (
                documents.certificate_filename(c),
                documents.certificate_pdf(c, _verify_url(request, c)),
            )
            for c in certificates
        ]
    )
    return offer(
        request,
        HttpResponse(archive, content_type="application/zip"),
        filename=f"certificates-{session.code}.zip",
        action="session.certificates",
        target=session,
        details={"certificates": len(certificates)},
    )
