"""A session's records: attendance by day, test scores and the observer's
fidelity scores, typed in a page or imported from a filled sheet."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import report
from relais.core.downloads import offer
from relais.core.errors import ApplicationError
from relais.core.params import int_param
from relais.core.sheets import read_table
from relais.core.spreadsheets import csv_response

from .. import documents, selectors, services
from ..forms import SheetForm
from ..models import Session
from ..policies import SessionPolicy


def _session_day(session, day: str) -> datetime.date:
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    if date not in session.days:
        raise Http404
    return date


def _recorded_session(request, pk) -> Session:
    """A session the user may read and record; a 404 otherwise."""
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can(request.user, "record", session):
        raise Http404
    return session


def attendance(request, pk, day):
    """Made for a phone: everyone ticked present, untick the absent, save."""
    session = _recorded_session(request, pk)
    date = _session_day(session, day)
    participants = list(services.participants(session).order_by("person__last_name"))
    if request.method == "POST":
        present = set(map(int_param, request.POST.getlist("present"))) - {None}
        absent = {e.pk for e in participants} - present
        try:
            services.attendance_save(
                actor=request.user, session=session, day=date, absent=absent
            )
        except ApplicationError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)s present, %(absent)s absent.")
                % {"present": len(participants) - len(absent), "absent": len(absent)},
            )
            return redirect(request.path)
    marks = selectors.attendance_marks(session, date)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "day": date,
            "rows": [(e, marks.get(e.pk, True), e.pk in marks) for e in participants],
            "saved": bool(marks),
            "sheet_form": SheetForm(),
        },
    )


def signin_sheet(request, pk, day):
    session = _recorded_session(request, pk)
    date = _session_day(session, day)
    pdf = documents.signin_sheet_pdf(
        session, date, services.participants(session).order_by("person__last_name")
    )
    return offer(
        request,
        HttpResponse(pdf, content_type="application/pdf"),
        filename=f"signin-{session.code}-{date.isoformat()}.pdf",
        action="session.signin_sheet",
        target=session,
        details={"day": date.isoformat()},
    )


def attendance_template(request, pk):
    """The sheet to fill and import: one row per participant, one column per day."""
    session = _recorded_session(request, pk)
    days = [d.isoformat() for d in session.days]
    rows = (
        [session.code, e.pk, e.person.last_name, e.person.first_name] + [""] * len(days)
        for e in services.participants(session).order_by("person__last_name")
    )
    return offer(
        request,
        csv_response(["session", "enrolment", "last_name", "first_name", *days], rows),
        filename=f"attendance-{session.code}.csv",
        action="session.attendance_template",
        target=session,
    )


def _import(request, session, importer, success):
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX file."))
        return
    try:
        count = importer(
            actor=request.user, session=session, rows=read_table(request.FILES["sheet"])
        )
    except ApplicationError as error:
        messages.error(request, _("Nothing was imported:"))
        report(request, error)
    else:
        messages.success(request, success % {"count": count})


@require_POST
def attendance_import(request, pk):
    session = _recorded_session(request, pk)
    _import(
        request,
        session,
        services.attendance_import,
        _("%(count)s attendance marks imported."),
    )
    return redirect("training:session", pk=session.pk)


def results_grid(request, pk):
    session = _recorded_session(request, pk)
    instruments = session.programme.ordered_instruments()
    participants = list(services.participants(session).order_by("person__last_name"))
    if request.method == "POST":
        values = {
            (e.pk, i.kind): request.POST.get(f"score-{e.pk}-{i.kind}", "")
            for e in participants
            for i in instruments
        }
        try:
            services.results_save(actor=request.user, session=session, values=values)
        except ApplicationError as error:
            report(request, error)
        else:
            messages.success(request, _("The scores were saved."))
            return redirect("training:session", pk=session.pk)
    existing = selectors.session_scores(session)
    grid = [
        (
            e,
            [
                (
                    i,
                    request.POST.get(f"score-{e.pk}-{i.kind}")
                    if request.method == "POST"
                    else existing.get((e.pk, i.kind), ""),
                )
                for i in instruments
            ],
        )
        for e in participants
    ]
    return render(
        request,
        "training/results.html",
        {
            "session": session,
            "instruments": instruments,
            "grid": grid,
            "sheet_form": SheetForm(),
        },
    )


def results_template(request, pk):
    session = _recorded_session(request, pk)
    kinds = [i.kind for i in session.programme.ordered_instruments()]
    rows = (
        [session.code, e.pk, e.person.last_name, e.person.first_name]
        + [""] * len(kinds)
        for e in services.participants(session).order_by("person__last_name")
    )
    return offer(
        request,
        csv_response(["session", "enrolment", "last_name", "first_name", *kinds], rows),
        filename=f"scores-{session.code}.csv",
        action="session.scores_template",
        target=session,
    )


@require_POST
def results_import(request, pk):
    session = _recorded_session(request, pk)
    _import(request, session, services.results_import, _("%(count)s scores imported."))
    return redirect("training:results", pk=session.pk)


@require_POST
def fidelity_record(request, pk, facilitation_pk):
    """The observer's fidelity checklist score for one of the session's trainers."""
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can(request.user, "record_fidelity", session):
        raise Http404
    facilitation = selectors.facilitation_get(session=session, pk=facilitation_pk)
    try:
        value = request.POST.get("fidelity", "").strip().replace(",", ".")
        percent = float(value) if value else None
        services.fidelity_record(
            actor=request.user, facilitation=facilitation, percent=percent
        )
    except ValueError:
        messages.error(request, _("A fidelity score is a percentage, from 0 to 100."))
    except ApplicationError as error:
        report(request, error)
    else:
        messages.success(request, _("The fidelity score was recorded."))
    return redirect("training:session", pk=session.pk)
