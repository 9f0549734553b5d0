"""Programmes, their modules and curriculum kits: the programme unit's pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_form
from relais.core.errors import ApplicationError

from .. import selectors, services
from ..forms import KitForm, ModuleForm, ProgrammeForm
from ..policies import ProgrammePolicy


def _only_programme_managers(request) -> None:
    if not ProgrammePolicy.can(request.user, "manage"):
        raise Http404


def programme_index(request):
    return render(
        request,
        "training/programme_list.html",
        {
            "programmes": selectors.programme_list(),
            "can_manage": ProgrammePolicy.can(request.user, "manage"),
        },
    )


def programme_detail(request, pk):
    programme = selectors.programme_get(pk=pk)
    can_manage = ProgrammePolicy.can(request.user, "manage")
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
    _only_programme_managers(request)
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
    _only_programme_managers(request)
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
    _only_programme_managers(request)
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
