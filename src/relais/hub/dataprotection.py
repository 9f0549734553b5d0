"""Requests under law 09-08 (access, rectification, opposition) and the person's file.

The file a person receives holds what Relais keeps about them: identity, visits,
consents, referrals, training. Listening notes appear as dates only: their text
stays with their author and the centre's supervisors.
"""

import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.pdf import render_pdf
from relais.core.roles import Permission
from relais.core.scoping import scope_for

from .models import DataRequest, ListeningNote

# Law 09-08 gives the controller a stated time to answer; Relais tracks 30 days.
ANSWER_WITHIN_DAYS = 30


def _person_path(person) -> str:
    first = person.affiliations.select_related("organisation").first()
    return first.organisation.territory_path if first else "MA/"


def _require_handler(actor, territory_path: str) -> None:
    if not scope_for(actor, Permission.DATA_PROTECTION).covers(
        territory_path=territory_path
    ):
        raise ApplicationError(_("You cannot handle data-protection requests here."))


@transaction.atomic
def request_create(*, actor, person, kind, received_on, details="") -> DataRequest:
    path = _person_path(person)
    _require_handler(actor, path)
    if received_on > timezone.localdate():
        raise ApplicationError({"received_on": _("This date is in the future.")})
    data_request = DataRequest.objects.create(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=received_on + datetime.timedelta(days=ANSWER_WITHIN_DAYS),
        details=details,
        territory_path=path,
    )
    audit(actor, "dataprotection.request", data_request)
    return data_request


@transaction.atomic
def request_answer(*, actor, data_request: DataRequest, status, answer) -> DataRequest:
    _require_handler(actor, data_request.territory_path)
    if status not in (DataRequest.Status.ANSWERED, DataRequest.Status.REJECTED):
        raise ApplicationError(_("Choose how the request was answered."))
    if not answer.strip():
        raise ApplicationError({"answer": _("Write the answer given to the person.")})
    data_request.status, data_request.answer = status, answer.strip()
    data_request.handled_by = actor
    data_request.save()
    audit(actor, "dataprotection.answer", data_request, details={"status": status})
    return data_request


def person_file(person) -> dict:
    """Everything kept about the person, as plain data (JSON-ready)."""
    notes = ListeningNote.objects.filter(visit__person=person).order_by("created_at")
    return {
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "first_name_ar": person.first_name_ar,
            "last_name_ar": person.last_name_ar,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "birth_year": person.birth_year,
            "cin": person.cin_clear() or None,
            "phone": person.phone or None,
            "email": person.email or None,
        },
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


def person_file_json(*, actor, data_request: DataRequest) -> str:
    _require_handler(actor, data_request.territory_path)
    audit(actor, "dataprotection.export", data_request, details={"format": "json"})
    return json.dumps(person_file(data_request.person), ensure_ascii=False, indent=2)


def person_file_pdf(*, actor, data_request: DataRequest) -> bytes:
    _require_handler(actor, data_request.territory_path)
    audit(actor, "dataprotection.export", data_request, details={"format": "pdf"})
    return render_pdf(
        "hub/pdf/person_file.html",
        {
            "file": person_file(data_request.person),
            "person": data_request.person,
            "request": data_request,
            "generated": timezone.now(),
        },
    )
