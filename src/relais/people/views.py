"""Browsing, searching and editing people."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_action, apply_form
from relais.core.audit import audit
from relais.core.caching import no_store
from relais.core.downloads import offer
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.spreadsheets import csv_response

from .forms import AffiliationForm, PersonForm
from .policies import PersonPolicy
from .selectors import (
    affiliation_get,
    person_can_see_identifiers,
    person_get,
    person_get_editable,
    person_is_editable,
    person_list,
)
from .services import affiliation_add, affiliation_remove, person_create, person_update


def person_index(request):
    if not PersonPolicy.can(request.user, "view"):
        raise Http404
    search = request.GET.get("q", "").strip()
    page = paginate(request, person_list(actor=request.user, search=search))
    context = {
        "page": page,
        "q": search,
        "can_create": PersonPolicy.can(request.user, "edit"),
    }
    return render_list(request, "people/list.html", context)


@no_store
def person_export(request):
    """The people the user may see, as CSV; identifiers stay masked."""
    if not PersonPolicy.can(request.user, "view"):
        raise Http404
    search = request.GET.get("q", "").strip()
    people = person_list(actor=request.user, search=search)
    header = [
        _("Last name"),
        _("First name"),
        _("Last name (Arabic script)"),
        _("First name (Arabic script)"),
        _("Sex"),
        _("Birth year"),
        _("CIN"),
        _("Phone"),
        _("Organisations"),
    ]
    rows = (
        [
            p.last_name,
            p.first_name,
            p.last_name_ar,
            p.first_name_ar,
            p.get_sex_display(),
            p.birth_year or "",
            p.cin_masked,
            p.phone_display,
            "; ".join(a.organisation.code for a in p.affiliations.all()),
        ]
        for p in people.iterator(chunk_size=2000)
    )
    return offer(
        request,
        csv_response(header, rows),
        filename="people.csv",
        action="person.export",
        details={"search": search},
    )


@no_store
def person_detail(request, pk):
    person = person_get(actor=request.user, pk=pk)
    show_cin = bool(person.cin_encrypted) and person_can_see_identifiers(
        actor=request.user, person=person
    )
    if show_cin:
        # Law 09-08: who saw an identifier in full is on record.
        audit(request.user, "person.view_identifiers", person)
    context = {
        "person": person,
        "cin": person.cin_clear() if show_cin else person.cin_masked,
        "can_edit": person_is_editable(actor=request.user, person=person),
        "affiliation_form": AffiliationForm(actor=request.user),
    }
    return render(request, "people/detail.html", context)


def person_create_view(request):
    if not PersonPolicy.can(request.user, "edit"):
        raise Http404
    form = PersonForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form})


def person_update_view(request, pk):
    person = person_get_editable(actor=request.user, pk=pk)
    form = PersonForm(request.POST or None, actor=request.user, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


@require_POST
def affiliation_add_view(request, pk):
    person = person_get_editable(actor=request.user, pk=pk)
    apply_form(
        request,
        AffiliationForm(request.POST, actor=request.user),
        affiliation_add,
        person=person,
        success=_("The affiliation was added."),
        invalid=_("Choose an organisation you manage."),
    )
    return redirect("people:detail", pk=person.pk)


@require_POST
def affiliation_remove_view(request, pk, affiliation_pk):
    person = person_get_editable(actor=request.user, pk=pk)
    affiliation = affiliation_get(person=person, pk=affiliation_pk)
    apply_action(
        request,
        affiliation_remove,
        affiliation=affiliation,
        success=_("The affiliation was removed."),
    )
    return redirect("people:detail", pk=person.pk)
