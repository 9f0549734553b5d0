"""Sessions: the list, planning, the session page, facilitators and enrolment."""

from collections import Counter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_form, report
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from .. import selectors, services
from ..forms import FacilitationForm, SessionForm
from ..models import Enrolment, Facilitation, Session
from ..policies import EnrolmentPolicy, SessionPolicy


def _managed_session(request, pk) -> Session:
    """A session the user may read and manage; a 404 otherwise."""
    session = selectors.session_get(actor=request.user, pk=pk)
    if not SessionPolicy.can(request.user, "manage", session):
        raise Http404
    return session


def session_index(request, mine=False):
    if mine and not request.user.person_id:
        raise Http404
    if not mine and not SessionPolicy.can(request.user, "list"):
        raise Http404
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    region_code = request.GET.get("region", "")
    region = selectors.region_by_code(region_code)
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
        "regions": selectors.regions(),
        "mine": mine,
        "can_plan": SessionPolicy.can(request.user, "plan"),
    }
    return render_list(request, "training/session_list.html", context)


def session_create(request):
    if not SessionPolicy.can(request.user, "plan"):
        raise Http404
    form = SessionForm(
        request.POST or None, venues=selectors.plannable_venues(actor=request.user)
    )
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
    session = _managed_session(request, pk)
    form = SessionForm(
        request.POST or None,
        venues=selectors.plannable_venues(actor=request.user),
        instance=session,
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
    can_manage = SessionPolicy.can(request.user, "manage", session)
    trainer_search = request.GET.get("trainer", "").strip()
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
    facilitations = list(selectors.session_facilitations(session))
    context = {
        "session": session,
        "rows": rows,
        "hidden_count": sum(hidden.values()),
        "hidden_by_status": sorted(hidden.items()),
        "instruments": instruments,
        "facilitations": facilitations,
        # A session may name people whose pages the reader may not open (a
        # trainer from another region, a participant the reader only runs).
        "linked": selectors.training_readable_among(
            actor=request.user,
            ids={f.person_id for f in facilitations}
            | {row["enrolment"].person_id for row in rows},
        ),
        "can_manage": can_manage,
        "can_record": SessionPolicy.can(request.user, "record", session),
        "can_record_fidelity": SessionPolicy.can(
            request.user, "record_fidelity", session
        ),
        "can_enrol": EnrolmentPolicy.can(request.user, "enrol")
        and session.status == Session.Status.OPEN,
        "trainer_search": trainer_search,
        "trainers_found": selectors.trainers_found(session, trainer_search)
        if can_manage
        else [],
        "facilitation_roles": Facilitation.Role.choices,
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
    session = _managed_session(request, pk)
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


# -- Facilitators -----------------------------------------------------------------


@require_POST
def facilitation_add(request, pk):
    session = _managed_session(request, pk)
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
    session = _managed_session(request, pk)
    facilitation = selectors.facilitation_get(session=session, pk=facilitation_pk)
    try:
        services.facilitation_remove(actor=request.user, facilitation=facilitation)
    except ApplicationError as error:
        report(request, error)
    return redirect("training:session", pk=session.pk)


# -- Enrolment --------------------------------------------------------------------


def enrol(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk)
    if not EnrolmentPolicy.can(request.user, "enrol"):
        raise Http404
    if request.method == "POST":
        person = selectors.enrollable_person_get(
            actor=request.user, session=session, pk=request.POST.get("person")
        )
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
    enrolment = selectors.enrolment_get(session=session, pk=enrolment_pk)
    action = ENROLMENT_ACTIONS.get(request.POST.get("action"))
    # Withdrawing is the widest of the actions: who may not, sees no enrolment.
    if not EnrolmentPolicy.can(request.user, "withdraw", enrolment):
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
