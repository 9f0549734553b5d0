"""Reception: visits recorded in a few taps, listening notes, consents, and the
centres' designated supervisors who read and co-sign the notes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_action, apply_form, report
from relais.core.caching import no_store
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.params import int_param

from .. import selectors, services
from ..forms import ConsentForm, NoteForm, OpenFileForm, VisitForm
from ..policies import NotePolicy, VisitPolicy

# -- Reception --------------------------------------------------------------------


def desk(request):
    """The front desk: record a visit in a few taps, see today's visits."""
    centres = selectors.desk_centres(actor=request.user)
    if not centres:
        raise Http404
    centre = selectors.desk_centre_get(
        actor=request.user, pk=request.GET.get("centre") or centres[0].pk
    )
    form = VisitForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(
                actor=request.user, centre=centre, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("hub:visit", pk=visit.pk)
    visits = selectors.visit_list(
        actor=request.user, centre=centre, day=timezone.localdate()
    )
    return render(
        request,
        "hub/desk.html",
        {
            "centre": centre,
            "centres": centres,
            "form": form,
            "visits": visits[:30],
            "certified": services.is_certified_agent(request.user),
            "supervised_mode": selectors.hub_settings().supervised_mode,
        },
    )


def visit_index(request):
    if not VisitPolicy.can(request.user, "record"):
        raise Http404
    page = paginate(request, selectors.visit_list(actor=request.user))
    return render_list(request, "hub/visit_list.html", {"page": page})


@no_store
def visit_detail(request, pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    return render(
        request,
        "hub/visit_detail.html",
        {
            "visit": visit,
            "notes": selectors.visit_notes(actor=request.user, visit=visit),
            "is_supervisor": NotePolicy.can(request.user, "supervise", visit.centre),
            "consents": selectors.visit_consents(visit),
            "referrals": selectors.visit_referrals(visit),
            "note_form": NoteForm(),
            "file_form": OpenFileForm() if visit.person_id is None else None,
        },
    )


@require_POST
def visit_open_file(request, pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    apply_form(
        request,
        OpenFileForm(request.POST),
        services.visit_open_file,
        visit=visit,
        success=_("The person's file was opened."),
        invalid=_("A first and a last name are needed."),
    )
    return redirect("hub:visit", pk=visit.pk)


# -- Listening notes --------------------------------------------------------------


@require_POST
def note_create(request, pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.note_write(
                actor=request.user, visit=visit, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            report(request, error)
        else:
            if note.supervised:
                messages.warning(
                    request,
                    _("Supervised mode: a supervisor co-signs the note."),
                )
            else:
                messages.success(request, _("The note was saved."))
    return redirect("hub:visit", pk=visit.pk)


@no_store
def note_detail(request, pk):
    """The text of a note, for its audience only; each read is audited."""
    note = selectors.note_get(actor=request.user, pk=pk)
    try:
        text = services.note_read(actor=request.user, note=note)
    except ApplicationError as error:
        raise Http404 from error
    return render(request, "hub/note_detail.html", {"note": note, "text": text})


@require_POST
def note_cosign(request, pk):
    note = selectors.note_get(actor=request.user, pk=pk)
    if not NotePolicy.can(request.user, "cosign", note):
        raise Http404
    apply_action(
        request, services.note_cosign, note=note, success=_("The note is co-signed.")
    )
    return redirect("hub:visit", pk=note.visit_id)


def supervisors(request, pk):
    """A centre's designated supervisors, who read and co-sign listening notes."""
    centre = selectors.provider_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                designation = selectors.supervisor_designation_get(
                    centre=centre, pk=request.POST["remove"]
                )
                services.supervisor_remove(actor=request.user, designation=designation)
            else:
                user = selectors.centre_staff_get(
                    centre=centre, pk=request.POST.get("user") or 0
                )
                services.supervisor_designate(
                    actor=request.user, centre=centre, user=user
                )
        except ApplicationError as error:
            report(request, error)
        return redirect("hub:supervisors", pk=centre.pk)
    return render(
        request,
        "hub/supervisors.html",
        {
            "centre": centre,
            "designations": selectors.centre_supervisors(centre),
            "staff": selectors.centre_staff(centre),
        },
    )


# -- Consent ----------------------------------------------------------------------


def consent_create(request, pk):
    """A consent to share the visit with an organisation. Its own page: the
    organisations of the country (hundreds) are drawn only when a desk asks."""
    visit = selectors.visit_get(actor=request.user, pk=pk)
    if request.method != "POST":
        context = {"form": ConsentForm(), "title": _("Record a consent")}
        return render(request, "hub/form.html", context)
    # The referral page records consent too, and returns there.
    referral = None
    if request.POST.get("referral"):
        referral = selectors.visit_referral_find(
            visit=visit, pk=int_param(request.POST["referral"], low=1)
        )
        if referral is None:
            messages.error(request, _("This referral is not one of this visit's."))
            return redirect("hub:visit", pk=visit.pk)
    apply_form(
        request,
        ConsentForm(request.POST),
        services.consent_record,
        visit=visit,
        success=_("The consent was recorded."),
        invalid=_("Say with whom and for what."),
    )
    if referral is not None:
        return redirect("hub:referral", pk=referral.pk)
    return redirect("hub:visit", pk=visit.pk)


@require_POST
def consent_withdraw(request, pk, consent_pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    consent = selectors.consent_get(visit=visit, pk=consent_pk)
    apply_action(
        request,
        services.consent_withdraw,
        consent=consent,
        success=_("The consent was withdrawn."),
    )
    return redirect("hub:visit", pk=visit.pk)
