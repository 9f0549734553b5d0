"""Pages of the training cascade. Views stay thin: services write, selectors read."""

import datetime
from collections import Counter

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_form, report
from relais.core.downloads import offer
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.params import int_param
from relais.core.roles import Permission
from relais.core.scoping import get_or_404, has_permission, scope_for
from relais.core.sheets import read_table
from relais.core.spreadsheets import csv_response
from relais.organisations.models import Organisation
from relais.territory.models import Territory

from . import documents, lineage, selectors, services
from .forms import (
    FacilitationForm,
    KitForm,
    ModuleForm,
    ProgrammeForm,
    ReasonForm,
    SessionForm,
    SheetForm,
)
from .models import (
    Certificate,
    Certification,
    Enrolment,
    Facilitation,
    Result,
    Session,
)
from .policies import SessionPolicy


def _require_programme_manager(request) -> None:
    if not has_permission(request.user, Permission.PROGRAMME_MANAGE):
        raise Http404


# -- Programmes -------------------------------------------------------------------


def programme_index(request):
    return render(
        request,
        "training/programme_list.html",
        {
            "programmes": selectors.programme_list(),
            "can_manage": has_permission(request.user, Permission.PROGRAMME_MANAGE),
        },
    )


def programme_detail(request, pk):
    programme = selectors.programme_get(pk=pk)
    can_manage = has_permission(request.user, Permission.PROGRAMME_MANAGE)
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "can_manage": can_manage,
            "module_form": ModuleForm() if can_manage else None,
            "kit_form": KitForm(programme=programme) if can_manage else None,
        },
    )


def programme_edit(request, pk=None):
    _require_programme_manager(request)
    programme = selectors.programme_get(pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if programme is None:
                programme = services.programme_create(actor=request.user, **fields)
            else:
                services.programme_update(
                    actor=request.user, programme=programme, **fields
                )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("training:programme", pk=programme.pk)
    return render(
        request, "training/form.html", {"form": form, "title": _("Programme")}
    )


@require_POST
def module_create(request, pk):
    _require_programme_manager(request)
    programme = selectors.programme_get(pk=pk)
    apply_form(
        request,
        ModuleForm(request.POST),
        services.module_create,
        programme=programme,
        success=_("The module was added."),
        invalid=_("Check the module's fields."),
    )
    return redirect("training:programme", pk=programme.pk)


@require_POST
def kit_release(request, pk):
    _require_programme_manager(request)
    programme = selectors.programme_get(pk=pk)
    apply_form(
        request,
        KitForm(request.POST, programme=programme),
        services.kit_release,
        programme=programme,
        success=_("The kit version was released."),
        invalid=_("Check the kit's fields."),
    )
    return redirect("training:programme", pk=programme.pk)


# -- Sessions ---------------------------------------------------------------------


def session_index(request, mine=False):
    if mine and not request.user.person_id:
        raise Http404
    if not mine and not (
        has_permission(request.user, Permission.SESSION_VIEW)
        or has_permission(request.user, Permission.ENROLMENT_MANAGE)
        or request.user.person_id
    ):
        raise Http404
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    region_code = request.GET.get("region", "")
    region = Territory.objects.filter(level="region", code=region_code).first()
    sessions = selectors.session_list(
        actor=request.user,
        search=request.GET.get("q", "").strip(),
        status=status if status in Session.Status.values else "",
        level=level if level in Session.Level.values else "",
        region=region,
        mine=mine,
    )
    context = {
        "page": paginate(request, sessions),
        "q": request.GET.get("q", ""),
        "status": status,
        "level": level,
        "region": region_code,
        "statuses": Session.Status.choices,
        "levels": Session.Level.choices,
        "regions": Territory.objects.filter(level="region"),
        "mine": mine,
        "can_plan": has_permission(request.user, Permission.SESSION_MANAGE),
    }
    return render_list(request, "training/session_list.html", context)


def _plannable_venues(user):
    scope = scope_for(user, Permission.SESSION_MANAGE)
    return Organisation.objects.filter(
        scope.q(territory="territory_path", organisation="path")
    ).order_by("path")


def session_create(request):
    if not has_permission(request.user, Permission.SESSION_MANAGE):
        raise Http404
    form = SessionForm(request.POST or None, venues=_plannable_venues(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session was planned."))
            return redirect("training:session", pk=session.pk)
    return render(
        request, "training/form.html", {"form": form, "title": _("New session")}
    )


def session_update(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_manage(request.user, session):
        raise Http404
    form = SessionForm(
        request.POST or None, venues=_plannable_venues(request.user), instance=session
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/form.html", {"form": form, "title": str(session)})


def session_detail(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    can_manage = SessionPolicy.can_manage(request.user, session)
    enrolments = selectors.roster(session)
    instruments = session.programme.ordered_instruments()
    # Names only for those who may see each person; the others are counted.
    named = selectors.participants_named_to(actor=request.user, session=session)
    hidden = Counter(
        e.get_status_display() for e in enrolments if e.person_id not in named
    )
    rows = []
    for enrolment in (e for e in enrolments if e.person_id in named):
        scores = {r.instrument.kind: r for r in enrolment.results.all()}
        pre, post = scores.get("pre_test"), scores.get("post_test")
        rows.append(
            {
                "enrolment": enrolment,
                "scores": [scores.get(i.kind) for i in instruments],
                "gain": services.normalised_gain(
                    pre.percent if pre else None, post.percent if post else None
                ),
                "outcome": services.outcome_text(enrolment.outcome),
            }
        )
    facilitations = session.facilitations.select_related("person")
    context = {
        "session": session,
        "rows": rows,
        "hidden_count": sum(hidden.values()),
        "hidden_by_status": sorted(hidden.items()),
        "instruments": instruments,
        "facilitations": facilitations,
        "can_manage": can_manage,
        "can_record": SessionPolicy.can_record(request.user, session),
        "is_observer": SessionPolicy.is_facilitator(
            request.user, session, roles=[Facilitation.Role.OBSERVER]
        ),
        "can_enrol": has_permission(request.user, Permission.ENROLMENT_MANAGE)
        and session.status == Session.Status.OPEN,
        "facilitation_form": FacilitationForm(session=session) if can_manage else None,
        "seats_left": services.seats_left(session),
        "transitions": [
            (status, Session.Status(status).label)
            for status in services.TRANSITIONS.get(session.status, ())
        ],
        "active_statuses": Enrolment.ACTIVE,
    }
    return render(request, "training/session_detail.html", context)


@require_POST
def session_status(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_manage(request.user, session):
        raise Http404
    try:
        if request.POST.get("status") == Session.Status.CLOSED:
            counts = services.session_close(actor=request.user, session=session)
            messages.success(
                request,
                _("The session is closed: %(completed)s completed, %(failed)s not.")
                % counts,
            )
        else:
            services.session_set_status(
                actor=request.user, session=session, status=request.POST.get("status")
            )
            messages.success(request, _("The session's status changed."))
    except ApplicationError as error:
        report(request, error)
    except ValueError:
        messages.error(request, _("Unknown status."))
    return redirect("training:session", pk=session.pk)


@require_POST
def facilitation_add(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_manage(request.user, session):
        raise Http404
    apply_form(
        request,
        FacilitationForm(request.POST, session=session),
        services.facilitation_assign,
        session=session,
        success=_("The trainer was assigned."),
        invalid=_("Choose a trainer and a role."),
    )
    return redirect("training:session", pk=session.pk)


@require_POST
def facilitation_remove(request, pk, facilitation_pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_manage(request.user, session):
        raise Http404
    facilitation = get_or_404(session.facilitations.all(), pk=facilitation_pk)
    try:
        services.facilitation_remove(actor=request.user, facilitation=facilitation)
    except ApplicationError as error:
        report(request, error)
    return redirect("training:session", pk=session.pk)


@require_POST
def fidelity_record(request, pk, facilitation_pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    observer = SessionPolicy.is_facilitator(
        request.user, session, roles=[Facilitation.Role.OBSERVER]
    )
    if not (observer or SessionPolicy.can_manage(request.user, session)):
        raise Http404
    facilitation = get_or_404(session.facilitations.all(), pk=facilitation_pk)
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


# -- Enrolment --------------------------------------------------------------------


def enrol(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not has_permission(request.user, Permission.ENROLMENT_MANAGE):
        raise Http404
    if request.method == "POST":
        people = selectors.enrollable_people(actor=request.user, session=session)
        person = get_or_404(people, pk=request.POST.get("person"))
        try:
            enrolment = services.enrolment_create(
                actor=request.user, session=session, person=person
            )
        except ApplicationError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("%(person)s: %(status)s.")
                % {"person": person, "status": enrolment.get_status_display()},
            )
        return redirect(request.get_full_path())
    search = request.GET.get("q", "").strip()
    people = selectors.enrollable_people(
        actor=request.user, session=session, search=search
    )
    return render_list(
        request,
        "training/enrol.html",
        {"session": session, "page": paginate(request, people), "q": search},
    )


ENROLMENT_ACTIONS = {
    "approve": services.enrolment_approve,
    "confirm": services.enrolment_confirm,
    "withdraw": services.enrolment_withdraw,
}


@require_POST
def enrolment_action(request, pk, enrolment_pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    enrolment = get_or_404(session.enrolments.select_related("person"), pk=enrolment_pk)
    action = ENROLMENT_ACTIONS.get(request.POST.get("action"))
    allowed = SessionPolicy.can_manage(request.user, session) or services.can_enrol(
        request.user, enrolment.person
    )
    if not allowed:
        raise Http404
    try:
        if action is None:
            raise ApplicationError(_("Choose what to do with this enrolment."))
        action(actor=request.user, enrolment=enrolment)
    except ApplicationError as error:
        report(request, error)
    else:
        messages.success(request, _("The enrolment was updated."))
    return redirect("training:session", pk=session.pk)


# -- Attendance and results -------------------------------------------------------


def _session_day(session, day: str) -> datetime.date:
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    if date not in session.days:
        raise Http404
    return date


def _recorded_session(request, pk) -> Session:
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_record(request.user, session):
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
    marks = dict(
        session.enrolments.filter(attendance__date=date).values_list(
            "pk", "attendance__present"
        )
    )
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
    existing = {
        (r.enrolment_id, r.instrument.kind): r.score.normalize()
        for r in Result.objects.filter(enrolment__session=session).select_related(
            "instrument"
        )
    }
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


# -- Certificates -----------------------------------------------------------------


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
    enrolment = get_or_404(session.enrolments.select_related("person"), pk=enrolment_pk)
    if enrolment.person_id not in selectors.participants_named_to(
        actor=request.user, session=session
    ):
        raise Http404
    try:
        certificate = services.completion_certificate(enrolment)
    except ApplicationError as error:
        report(request, error)
        return redirect("training:session", pk=session.pk)
    return _pdf_response(request, certificate)


def trainer_certificate(request, pk):
    """The trainer certificate of a certification the reader may decide on."""
    certification = selectors.certification_get(actor=request.user, pk=pk)
    certificate = certification.certificates.order_by("-issued_on", "-id").first()
    if certificate is None:
        messages.error(request, _("This trainer has not been certified yet."))
        return redirect("training:certification", pk=certification.pk)
    return _pdf_response(request, certificate)


def session_certificates(request, pk):
    """Every completion certificate of a session, in one ZIP."""
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can_manage(request.user, session):
        raise Http404
    certificates = Certificate.objects.filter(
        enrolment__session=session
    ).select_related(
        "person", "enrolment__session__programme", "enrolment__session__venue"
    )
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


# -- People, trainers, certifications ---------------------------------------------


def person_history(request, pk):
    person = selectors.person_training_get(actor=request.user, pk=pk)
    history = selectors.training_history(person)
    for enrolment in history["enrolments"]:
        enrolment.outcome_text = services.outcome_text(enrolment.outcome)
    return render(
        request, "training/person_history.html", {"person": person, **history}
    )


def trainer_detail(request, pk):
    """A trainer's cascade: trainees by generation, and the tree below them."""
    person = selectors.person_training_get(actor=request.user, pk=pk)
    return render(
        request,
        "training/trainer.html",
        {
            "person": person,
            "lineage": person.lineage if hasattr(person, "lineage") else None,
            "by_generation": lineage.descendants_by_generation(person.pk),
            "page": paginate(request, selectors.trainees(trainer=person)),
        },
    )


def trainer_children(request, pk):
    """One level of the descendants tree, loaded when a node is opened."""
    person = selectors.person_training_get(actor=request.user, pk=pk)
    return render(
        request,
        "training/_partials/tree_children.html",
        {
            "page": paginate(request, selectors.trainees(trainer=person)),
            "parent": person,
        },
    )


def certification_index(request):
    if not has_permission(request.user, Permission.SESSION_MANAGE):
        raise Http404
    status = request.GET.get("status", Certification.Status.CANDIDATE)
    if status not in Certification.Status.values:
        status = ""
    search = request.GET.get("q", "").strip()
    context = {
        "page": paginate(
            request,
            selectors.certification_list(
                actor=request.user, status=status, search=search
            ),
        ),
        "status": status,
        "statuses": Certification.Status.choices,
        "q": search,
    }
    return render_list(request, "training/certification_list.html", context)


def certification_detail(request, pk):
    certification = selectors.certification_get(actor=request.user, pk=pk)
    return render(
        request,
        "training/certification_detail.html",
        {
            "certification": certification,
            "criteria": services.criteria(certification),
            "certificates": certification.certificates.all(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
def certification_action(request, pk):
    certification = selectors.certification_get(actor=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "certify":
            services.certification_certify(
                actor=request.user, certification=certification
            )
        elif action in (
            Certification.Status.SUSPENDED,
            Certification.Status.REVOKED,
            Certification.Status.CERTIFIED,
        ):
            services.certification_set_status(
                actor=request.user,
                certification=certification,
                status=action,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise ApplicationError(_("Choose what to do with this certification."))
    except ApplicationError as error:
        report(request, error)
    else:
        messages.success(request, _("The certification was updated."))
    return redirect("training:certification", pk=certification.pk)
