"""Requests under law 09-08 (access, rectification, opposition) and the person's file.

The file a person receives holds what Relais keeps about them: identity, visits,
consents, referrals, training. Listening notes appear as dates only: their text
stays with their author and the centre's supervisors.

The identifiers in the file (CIN, phone, e-mail) single a person out and reach
them outside Relais, and a file is made to leave Relais: they are in clear only
for a handler allowed to see that person's identifiers, and that view is on
record as on the person's page; other handlers get them masked. The handler who
recorded a request does not export its file: a second handler does, so that no
one alone both opens a request and takes a person's file out.
"""

import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import protected
from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.pdf import render_pdf
from relais.people.selectors import person_can_see_identifiers

from .models import DataRequest, ListeningNote
from .policies import DataRequestPolicy

# Law 09-08 gives the controller a stated time to answer; Relais tracks 30 days.
ANSWER_WITHIN_DAYS = 30


@transaction.atomic
def request_create(*, actor, person, kind, received_on, details="") -> DataRequest:
    DataRequestPolicy.require(actor, "record", person)
    path, _organisation = person.home_paths()
    if received_on > timezone.localdate():
        raise ApplicationError({"received_on": _("This date is in the future.")})
    data_request = DataRequest.objects.create(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=received_on + datetime.timedelta(days=ANSWER_WITHIN_DAYS),
        details=details,
        territory_path=path,
        recorded_by=actor,
    )
    audit(actor, "dataprotection.request", data_request)
    return data_request


@transaction.atomic
def request_answer(*, actor, data_request: DataRequest, status, answer) -> DataRequest:
    DataRequestPolicy.require(actor, "handle", data_request)
    if status not in (DataRequest.Status.ANSWERED, DataRequest.Status.REJECTED):
        raise ApplicationError(_("Choose how the request was answered."))
    if not answer.strip():
        raise ApplicationError({"answer": _("Write the answer given to the person.")})
    data_request.status, data_request.answer = status, answer.strip()
    data_request.handled_by = actor
    data_request.save()
    audit(actor, "dataprotection.answer", data_request, details={"status": status})
    return data_request


def person_file(person, *, clear_identifiers: bool) -> dict:
    """Everything kept about the person, as plain data (JSON-ready).

    Identifiers are masked unless `clear_identifiers`, which only `_file_for`
    decides, from the reader's right to see them.
    """
    notes = ListeningNote.objects.filter(visit__person=person).order_by("created_at")
    if clear_identifiers:
        cin, phone, email = person.cin_clear(), person.phone, person.email
    else:
        cin = person.cin_masked
        phone = protected.mask(person.phone) if person.phone else ""
        email = protected.mask_email(person.email) if person.email else ""
    return {
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "first_name_ar": person.first_name_ar,
            "last_name_ar": person.last_name_ar,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "birth_year": person.birth_year,
            "cin": cin or None,
            "phone": phone or None,
            "email": email or None,
        },
        "identifiers_masked": not clear_identifiers,
        "affiliations": [
            {"organisation": a.organisation.name_fr, "function": a.function}
            for a in person.affiliations.select_related("organisation")
        ],
        "visits": [
            {
                "date": v.created_at.isoformat(),
                "centre": v.centre.name_fr,
                "channel": v.channel,
                "needs": [n.code for n in v.needs.all()],
            }
            for v in person.visits.select_related("centre").prefetch_related("needs")
        ],
        # The notes' text is not part of the file: see the module's docstring.
        "listening_notes": [{"date": n.created_at.isoformat()} for n in notes],
        "consents": [
            {
                "purpose": c.purpose,
                "recipient": c.recipient.name_fr,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in person.consents.select_related("recipient")
        ],
        "referrals": [
            {
                "service": r.service.label_fr,
                "provider": r.service.provider.name_fr,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in person.referrals.select_related("service__provider")
        ],
        "training": [
            {
                "session": e.session.code,
                "title": e.session.title,
                "start_date": e.session.start_date.isoformat(),
                "status": e.status,
            }
            for e in person.enrolments.select_related("session")
        ],
    }


def _file_for(actor, data_request: DataRequest, fmt: str) -> dict:
    """The file as `actor` may see it; the export and any clear view on record."""
    DataRequestPolicy.require(actor, "handle", data_request)
    DataRequestPolicy.require(actor, "export", data_request)
    person = data_request.person
    clear = person_can_see_identifiers(actor=actor, person=person)
    audit(actor, "dataprotection.export", data_request, details={"format": fmt})
    if clear and (person.cin_encrypted or person.phone or person.email):
        # Law 09-08: who saw an identifier in full is on record.
        audit(
            actor,
            "person.view_identifiers",
            person,
            details={"data_request": data_request.pk},
        )
    return person_file(person, clear_identifiers=clear)


def person_file_json(*, actor, data_request: DataRequest) -> str:
    file = _file_for(actor, data_request, "json")
    return json.dumps(file, ensure_ascii=False, indent=2)


def person_file_pdf(*, actor, data_request: DataRequest) -> bytes:
    file = _file_for(actor, data_request, "pdf")
    return render_pdf(
        "hub/pdf/person_file.html",
        {
            "file": file,
            "person": data_request.person,
            "request": data_request,
            "generated": timezone.now(),
        },
    )
