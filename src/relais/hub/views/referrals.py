"""Orientation: a referral to a service of another organisation, sent with the
person's consent, answered by the receiving side and followed until it closes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_action, apply_form, report
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from .. import selectors, services
from ..forms import (
    AcceptForm,
    CloseForm,
    CompleteForm,
    ConsentForm,
    DeclineForm,
    FollowUpForm,
    ReferralForm,
    SendForm,
    StartForm,
)
from ..models import Referral, Service
from ..policies import ReferralPolicy
from .catalogue import need_filter


def referral_create(request, pk):
    """Choose a service from the catalogue, by need, place and language."""
    visit = selectors.visit_get(actor=request.user, pk=pk)
    need = need_filter(request)
    territory = selectors.place_find(request.GET.get("place", ""))
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
            "needs": selectors.need_list(),
            "need": need,
            "regions": selectors.catalogue_places(),
            "place": territory.code if territory else "",
            "language": language,
            "languages": Service.Language.choices,
        },
    )


def referral_index(request):
    box = request.GET.get("box", "")
    if box not in ("sent", "received"):
        box = ""
    if not ReferralPolicy.can(request.user, "list"):
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
    is_sender = ReferralPolicy.can(request.user, "send", referral)
    return render(
        request,
        "hub/referral_detail.html",
        {
            "referral": referral,
            "is_sender": is_sender,
            "is_receiver": ReferralPolicy.can(request.user, "answer", referral),
            "consents": selectors.referral_consents(referral) if is_sender else [],
            "can_override": ReferralPolicy.can(
                request.user, "override_consent", referral
            ),
            "send_form": SendForm(referral=referral),
            "consent_form": ConsentForm(recipient=referral.service.provider),
            "close_form": CloseForm(referral=referral),
            "follow_up_form": FollowUpForm(initial={"date": timezone.localdate()}),
            "now": timezone.now(),
            "is_open": referral.status in services.OPEN,
        },
    )


# Each action a referral's page posts: the form that checks what it sends, and
# the service that does it.
ACTIONS = {
    "send": (SendForm, services.referral_send),
    "accept": (AcceptForm, services.referral_accept),
    "decline": (DeclineForm, services.referral_decline),
    "start": (StartForm, services.referral_start),
    "complete": (CompleteForm, services.referral_complete),
    "close": (CloseForm, services.referral_close),
}


@require_POST
def referral_action(request, pk):
    referral = selectors.referral_get(actor=request.user, pk=pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with this referral."))
        return redirect("hub:referral", pk=referral.pk)
    form_class, service = action
    form = form_class(request.POST, referral=referral)
    if form.is_valid():
        apply_action(
            request,
            service,
            referral=referral,
            success=_("The referral was updated."),
            **form.cleaned_data,
        )
    else:
        report(
            request,
            ApplicationError([m for errors in form.errors.values() for m in errors]),
        )
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
