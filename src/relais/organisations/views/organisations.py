"""Browsing and editing the organisation tree."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from ..forms import OrganisationForm
from ..models import Organisation
from ..policies import OrganisationPolicy
from ..selectors import (
    organisation_get,
    organisation_get_editable,
    organisation_list,
    organisation_people_count,
    organisation_readable,
)
from ..services import organisation_create, organisation_update


def organisation_index(request):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in Organisation.Kind.values:
        kind = ""
    page = paginate(
        request, organisation_list(actor=request.user, search=search, kind=kind)
    )
    context = {
        "page": page,
        "q": search,
        "kind": kind,
        "kinds": Organisation.Kind.choices,
        # A search shows matches flat; browsing shows the tree by indentation.
        "as_tree": not search and not kind,
        "can_create": OrganisationPolicy.can(request.user, "edit"),
    }
    return render_list(request, "organisations/list.html", context)


def organisation_detail(request, pk):
    organisation = organisation_get(actor=request.user, pk=pk)
    children = organisation_list(actor=request.user, parent=organisation)
    parent = organisation.parent
    context = {
        "organisation": organisation,
        "parent": parent
        if parent and organisation_readable(actor=request.user, organisation=parent)
        else None,
        "page": paginate(request, children),
        "can_edit": OrganisationPolicy.can(request.user, "edit", organisation),
        "people_count": organisation_people_count(organisation=organisation),
    }
    return render(request, "organisations/detail.html", context)


def organisation_create_view(request):
    if not OrganisationPolicy.can(request.user, "edit"):
        raise Http404
    form = OrganisationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form})


def organisation_update_view(request, pk):
    organisation = organisation_get_editable(actor=request.user, pk=pk)
    form = OrganisationForm(
        request.POST or None, actor=request.user, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request, "organisations/form.html", {"form": form, "organisation": organisation}
    )
