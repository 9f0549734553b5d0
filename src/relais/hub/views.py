"""Pages of the hub desk. Views stay thin: services write, selectors read."""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.accounts.models import User
from relais.core.actions import apply_action, apply_form, report
from relais.core.caching import no_store
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.params import int_param
from relais.core.roles import Permission
from relais.core.scoping import get_or_404, has_permission, scope_for
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.territory.models import Territory

from . import dataprotection, selectors, services
from .forms import (
    AnswerForm,
    CloseForm,
    ConsentForm,
    DataRequestForm,
    FollowUpForm,
    HubSettingsForm,
    NoteForm,
    OpenFileForm,
    ReferralForm,
    SendForm,
    ServiceForm,
    VisitForm,
)
from .models import (
    DataCategory,
    DataRequest,
    HubSettings,
    ListeningNote,
    Need,
    Referral,
    Service,
)
from .policies import DashboardPolicy, NotePolicy, ReferralPolicy, ServicePolicy


def _desk_centres(user):
    scope = scope_for(user, Permission.HUB_DESK)
    return Organisation.objects.filter(
        scope.q(territory="territory_path", organisation="path"),
        kind=Organisation.Kind.SOCIAL_CENTRE,
    ).order_by("path")


# -- Reception --------------------------------------------------------------------


def desk(request):
    """The front desk: record a visit in a few taps, see today's visits."""
    centres = _desk_centres(request.user)
    if not centres:
        raise Http404
    centre = get_or_404(centres, pk=request.GET.get("centre") or centres[0].pk)
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
    today = timezone.localdate()
    visits = selectors.visit_list(actor=request.user, centre=centre).filter(
        created_at__date=today
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
            "supervised_mode": HubSettings.current().supervised_mode,
        },
    )


def visit_index(request):
    if not has_permission(request.user, Permission.HUB_DESK):
        raise Http404
    page = paginate(request, selectors.visit_list(actor=request.user))
    return render_list(request, "hub/visit_list.html", {"page": page})


@no_store
def visit_detail(request, pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    notes = list(selectors.visit_notes(visit))
    for note in notes:
        note.readable = NotePolicy.can_read(request.user, note)
    is_supervisor = NotePolicy.is_supervisor(request.user, visit.centre_id)
    return render(
        request,
        "hub/visit_detail.html",
        {
            "visit": visit,
            "notes": notes,
            "is_supervisor": is_supervisor,
            "consents": visit.consents.select_related("recipient", "recorded_by"),
            "referrals": visit.referrals.select_related("service__provider"),
            "note_form": NoteForm(),
            "consent_form": ConsentForm(),
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
    note = get_or_404(
        ListeningNote.objects.select_related("visit__centre", "author"), pk=pk
    )
    selectors.visit_get(actor=request.user, pk=note.visit_id)
    try:
        text = services.note_read(actor=request.user, note=note)
    except ApplicationError as error:
        raise Http404 from error
    return render(request, "hub/note_detail.html", {"note": note, "text": text})


@require_POST
def note_cosign(request, pk):
    note = get_or_404(ListeningNote.objects.select_related("visit"), pk=pk)
    selectors.visit_get(actor=request.user, pk=note.visit_id)
    if not NotePolicy.is_supervisor(request.user, note.visit.centre_id):
        raise Http404
    apply_action(
        request, services.note_cosign, note=note, success=_("The note is co-signed.")
    )
    return redirect("hub:visit", pk=note.visit_id)


@require_POST
def consent_create(request, pk):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    # The referral page records consent too, and returns there.
    referral = None
    if request.POST.get("referral"):
        referral_pk = int_param(request.POST["referral"], low=1)
        referral = (
            visit.referrals.filter(pk=referral_pk).first() if referral_pk else None
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
    consent = get_or_404(visit.consents.all(), pk=consent_pk)
    apply_action(
        request,
        services.consent_withdraw,
        consent=consent,
        success=_("The consent was withdrawn."),
    )
    return redirect("hub:visit", pk=visit.pk)


# -- Referral ---------------------------------------------------------------------


def _need_filter(request):
    """The need the catalogue is filtered by; an unknown one filters nothing."""
    value = request.GET.get("need", "")
    if not value:
        return None
    pk = int_param(value, low=1)
    need = Need.objects.filter(pk=pk).first() if pk else None
    if need is None:
        messages.warning(request, _("Unknown need: services for every need are shown."))
    return need


def referral_create(request, pk):
    """Choose a service from the catalogue, by need, place and language."""
    visit = selectors.visit_get(actor=request.user, pk=pk)
    need = _need_filter(request)
    territory = Territory.objects.filter(code=request.GET.get("place", "")).first()
    language = request.GET.get("language", "")
    services_found = selectors.service_search(
        need=need, territory=territory, language=language
    )
    form = ReferralForm(request.POST or None, initial={"need": need})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=request.user, visit=visit, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The referral is ready: record consent and send it.")
            )
            return redirect("hub:referral", pk=referral.pk)
    return render(
        request,
        "hub/referral_create.html",
        {
            "visit": visit,
            "form": form,
            "page": paginate(request, services_found, per_page=10),
            "needs": Need.objects.all(),
            "need": need,
            "regions": Territory.objects.filter(level__in=["region", "province"]),
            "place": territory.code if territory else "",
            "language": language,
            "languages": Service.Language.choices,
        },
    )


def referral_index(request):
    box = request.GET.get("box", "")
    if box not in ("sent", "received"):
        box = ""
    if not (
        has_permission(request.user, Permission.HUB_DESK)
        or has_permission(request.user, Permission.REFERRAL_RECEIVE)
    ):
        raise Http404
    status = request.GET.get("status", "")
    if status not in Referral.Status.values:
        status = ""
    page = paginate(
        request, selectors.referral_list(actor=request.user, box=box, status=status)
    )
    return render_list(
        request,
        "hub/referral_list.html",
        {
            "page": page,
            "box": box,
            "status": status,
            "statuses": Referral.Status.choices,
            "now": timezone.now(),
        },
    )


def referral_detail(request, pk):
    referral = selectors.referral_get(actor=request.user, pk=pk)
    is_sender = ReferralPolicy.is_sender(request.user, referral)
    consents = referral.visit.consents.filter(
        withdrawn_at__isnull=True, recipient=referral.service.provider
    )
    return render(
        request,
        "hub/referral_detail.html",
        {
            "referral": referral,
            "is_sender": is_sender,
            "is_receiver": ReferralPolicy.is_receiver(request.user, referral),
            "consents": consents if is_sender else [],
            "can_override": scope_for(request.user, Permission.CONSENT_OVERRIDE).covers(
                territory_path=referral.territory_path,
                organisation_path=referral.organisation_path,
            ),
            "send_form": SendForm(),
            "consent_form": ConsentForm(
                initial={"recipient": referral.service.provider}
            ),
            "close_form": CloseForm(),
            "follow_up_form": FollowUpForm(initial={"date": timezone.localdate()}),
            "now": timezone.now(),
            "is_open": referral.status in services.OPEN,
        },
    )


ACTIONS = {
    "accept": services.referral_accept,
    "start": services.referral_start,
    "complete": services.referral_complete,
}


@require_POST
def referral_action(request, pk):
    referral = selectors.referral_get(actor=request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "send":
            consent = None
            if request.POST.get("consent"):
                consent_pk = int_param(request.POST["consent"], low=1)
                consent = (
                    referral.visit.consents.filter(pk=consent_pk).first()
                    if consent_pk
                    else None
                )
                if consent is None:
                    raise ApplicationError(
                        _("Choose a consent recorded for this visit.")
                    )
            services.referral_send(
                actor=request.user,
                referral=referral,
                consent=consent,
                override_reason=request.POST.get("override_reason", ""),
            )
        elif action == "decline":
            services.referral_decline(
                actor=request.user,
                referral=referral,
                reason=request.POST.get("reason", ""),
            )
        elif action == "close":
            services.referral_close(
                actor=request.user,
                referral=referral,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
        elif action in ACTIONS:
            ACTIONS[action](actor=request.user, referral=referral)
        else:
            raise ApplicationError(_("Choose what to do with this referral."))
    except ApplicationError as error:
        report(request, error)
    else:
        messages.success(request, _("The referral was updated."))
    return redirect("hub:referral", pk=referral.pk)


@require_POST
def follow_up_add(request, pk):
    referral = selectors.referral_get(actor=request.user, pk=pk)
    apply_form(
        request,
        FollowUpForm(request.POST),
        services.followup_add,
        referral=referral,
        success=_("The follow-up was added."),
        invalid=_("A follow-up needs a date and a note."),
    )
    return redirect("hub:referral", pk=referral.pk)


# -- Catalogue --------------------------------------------------------------------


def service_index(request):
    need = _need_filter(request)
    territory = Territory.objects.filter(code=request.GET.get("place", "")).first()
    language = request.GET.get("language", "")
    online = {"1": True, "0": False}.get(request.GET.get("online", ""))
    q = request.GET.get("q", "").strip()
    results = selectors.service_search(
        need=need, territory=territory, language=language, online=online, q=q
    )
    return render_list(
        request,
        "hub/service_list.html",
        {
            "page": paginate(request, results),
            "needs": Need.objects.all(),
            "need": need,
            "places": Territory.objects.filter(level__in=["region", "province"]),
            "place": territory.code if territory else "",
            "language": language,
            "languages": Service.Language.choices,
            "online": request.GET.get("online", ""),
            "q": q,
            "can_edit": has_permission(request.user, Permission.HUB_MANAGE),
        },
    )


def _providers(user):
    scope = scope_for(user, Permission.HUB_MANAGE)
    return Organisation.objects.filter(
        scope.q(territory="territory_path", organisation="path")
    ).order_by("path")


def service_edit(request, pk=None):
    if not has_permission(request.user, Permission.HUB_MANAGE):
        raise Http404
    service = None
    if pk is not None:
        service = get_or_404(Service.objects.select_related("provider"), pk=pk)
        if not ServicePolicy.can_edit(request.user, service.provider):
            raise Http404
    form = ServiceForm(
        request.POST or None, instance=service, providers=_providers(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.service_save(
                actor=request.user,
                service=service,
                provider=data.pop("provider"),
                needs=data.pop("needs"),
                **data,
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The service was saved."))
            return redirect(f"{reverse('hub:services')}?q={saved.label_fr}")
    return render(request, "hub/form.html", {"form": form, "title": _("Service")})


def supervisors(request, pk):
    """A centre's designated supervisors, who read and co-sign listening notes."""
    centre = get_or_404(_providers(request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                designation = get_or_404(
                    centre.supervisors.all(), pk=request.POST["remove"]
                )
                services.supervisor_remove(actor=request.user, designation=designation)
            else:
                user = get_or_404(
                    User.objects.filter(memberships__organisation=centre).distinct(),
                    pk=request.POST.get("user") or 0,
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
            "designations": centre.supervisors.select_related("user"),
            "staff": User.objects.filter(memberships__organisation=centre).distinct(),
        },
    )


# -- Dashboard and settings -------------------------------------------------------


# The dashboard's period: the last 90 days unless asked otherwise, at most a
# century back ("all" for since the start).
DASHBOARD_DAYS = "90"
MAX_DASHBOARD_DAYS = 36500
DASHBOARD_SECONDS = 300


def dashboard(request):
    if not DashboardPolicy.allowed(request.user):
        raise Http404
    scope = selectors.dashboard_scope(request.user)
    territory = centre = None
    if request.GET.get("centre"):
        centre = get_or_404(
            Organisation.objects.filter(
                scope.q(territory="territory_path", organisation="path")
            ),
            pk=request.GET["centre"],
        )
    elif request.GET.get("region"):
        territory = get_or_404(
            Territory.objects.filter(level="region"), code=request.GET["region"]
        )
        if not scope.covers(territory_path=territory.path):
            raise Http404
    days = request.GET.get("days", DASHBOARD_DAYS)
    since = None
    if days != "all":
        number = int_param(days, low=1, high=MAX_DASHBOARD_DAYS)
        if number is None:
            messages.warning(request, _("Unknown period: the last 90 days are shown."))
            days, number = DASHBOARD_DAYS, int(DASHBOARD_DAYS)
        since = timezone.now() - datetime.timedelta(days=number)
    # Supervision figures, counted over hundreds of thousands of visits: kept a
    # few minutes in the shared cache, for the viewer and what they look at.
    figures = cache.get_or_set(
        f"hub:dashboard:{request.user.pk}:{territory and territory.pk}"
        f":{centre and centre.pk}:{days}",
        lambda: selectors.dashboard(
            actor=request.user, territory=territory, centre=centre, since=since
        ),
        DASHBOARD_SECONDS,
    )
    return render(
        request,
        "hub/dashboard.html",
        {
            "figures": figures,
            "territory": territory,
            "centre": centre,
            "days": days,
            "regions": [
                r
                for r in Territory.objects.filter(level="region")
                if scope.covers(territory_path=r.path)
            ],
        },
    )


def hub_settings(request):
    if not has_permission(request.user, Permission.HUB_SETTINGS):
        raise Http404
    current = HubSettings.current()
    form = HubSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.hub_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("hub:settings")
    return render(request, "hub/form.html", {"form": form, "title": _("Hub settings")})


# -- Data protection --------------------------------------------------------------


def _handled_requests(user):
    scope = scope_for(user, Permission.DATA_PROTECTION)
    if scope.is_empty:
        raise Http404
    return DataRequest.objects.filter(
        scope.q(territory="territory_path", organisation=None)
    ).select_related("person")


def data_request_index(request):
    requests_ = _handled_requests(request.user)
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = Person.objects.filter(
            PersonPolicy.readable_by(request.user), pk=data.pop("person")
        ).first()
        if person is None:
            form.add_error("person", _("No person with this number in your scope."))
        else:
            try:
                created = dataprotection.request_create(
                    actor=request.user, person=person, **data
                )
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The request is recorded."))
                return redirect("hub:data_request", pk=created.pk)
    return render_list(
        request,
        "hub/data_request_list.html",
        {
            "page": paginate(request, requests_),
            "form": form,
            "today": timezone.localdate(),
            "categories": DataCategory.objects.all(),
        },
    )


@no_store
def data_request_detail(request, pk):
    data_request = get_or_404(_handled_requests(request.user), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataprotection.request_answer(
                actor=request.user, data_request=data_request, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("hub:data_request", pk=data_request.pk)
    return render(
        request,
        "hub/data_request_detail.html",
        {"data_request": data_request, "form": form},
    )


@no_store
def person_file_export(request, pk, fmt):
    """The person's file for an access request, as JSON or PDF.

    Refused, with the reason, to the handler who recorded the request.
    """
    data_request = get_or_404(_handled_requests(request.user), pk=pk)
    if fmt not in ("json", "pdf"):
        raise Http404
    try:
        if fmt == "json":
            body = dataprotection.person_file_json(
                actor=request.user, data_request=data_request
            )
            content_type = "application/json; charset=utf-8"
        else:
            body = dataprotection.person_file_pdf(
                actor=request.user, data_request=data_request
            )
            content_type = "application/pdf"
    except ApplicationError as error:
        report(request, error)
        return redirect("hub:data_request", pk=data_request.pk)
    response = HttpResponse(body, content_type=content_type)
    # The export is on the audit log already (dataprotection): named only.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"person-file-{data_request.person_id}.{fmt}"
    )
    return response
