"""Decisions on trainers' certifications: the candidates' list, the criteria,
certify, suspend, reinstate, revoke."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import report
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from .. import selectors, services
from ..forms import ReasonForm
from ..models import Certification
from ..policies import CertificationPolicy


def certification_index(request):
    if not CertificationPolicy.can(request.user, "decide"):
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
            "certificates": selectors.certificates_of(certification),
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
