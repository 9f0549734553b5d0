"""Printable documents of the training cascade: certificates and sign-in sheets.

The PDFs are made from Django templates by relais.core.pdf, the one renderer of
Relais: the QR code is inline SVG, the Amiri font the only file it reads, and
rendering a document never touches the network, whatever ends up in the HTML.
"""

import datetime
import io
import zipfile
from collections.abc import Iterable

import segno
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from relais.core.pdf import render_pdf

from .models import Certificate, Certification, Enrolment, Facilitation, Session

# Empty numbered rows under the participants, for people enrolled on the day.
SIGNIN_BLANK_ROWS = 5


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF, in French and Arabic.

    The QR code and the small print under it both carry `verify_url`, the
    public page where anyone can check that the certificate is genuine.
    """
    completion = certificate.kind == Certificate.Kind.COMPLETION
    session = certificate.enrolment.session if completion else None
    certification = None if completion else certificate.certification
    programme = session.programme if completion else certification.programme
    qr = segno.make(verify_url, error="m")
    context = {
        "certificate": certificate,
        "person": certificate.person,
        "programme": programme,
        "session": session,
        "certification": certification,
        "completion": completion,
        "master": (
            certification is not None
            and certification.level == Certification.Level.MASTER_TRAINER
        ),
        "verify_url": verify_url,
        # segno's own markup, built from the URL alone: nothing to escape.
        "qr_svg": mark_safe(  # nosec B308, B703
            qr.svg_inline(scale=3, dark="#000", light="#fff")
        ),
    }
    return render_pdf("training/pdf/certificate.html", context)


def signin_sheet_pdf(
    session: Session, day: datetime.date, participants: Iterable[Enrolment]
) -> bytes:
    """The paper sign-in sheet of one day of `session`, in the user's language.

    `participants` are enrolments with their person selected, in the order
    they should be printed.
    """
    participants = list(participants)
    leads = (
        session.facilitations.filter(role=Facilitation.Role.LEAD)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    days = session.days
    start = len(participants) + 1
    context = {
        "session": session,
        "day": day,
        # Which day of the session this is, when the day belongs to it.
        "day_number": days.index(day) + 1 if day in days else None,
        "day_count": len(days),
        "leads": [facilitation.person for facilitation in leads],
        "participants": participants,
        "blank_rows": range(start, start + SIGNIN_BLANK_ROWS),
    }
    return render_pdf("training/pdf/signin_sheet.html", context)


def certificates_zip(items: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of (file name, PDF) pairs; the names should be unique."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in items:
            archive.writestr(name, content)
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    """An ASCII file name that says whose certificate it is and for what.

    The id makes it unique, even for two namesakes in the same session.
    """
    if certificate.kind == Certificate.Kind.COMPLETION:
        what = slugify(certificate.enrolment.session.code) or "session"
    else:
        what = "trainer"
    who = slugify(certificate.person.full_name_latin) or "person"
    return f"certificate-{what}-{who}-{certificate.pk}.pdf"
