"""Managing accounts and their role memberships."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_form
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from .forms import MembershipForm, UserForm
from .policies import AccountPolicy
from .selectors import membership_get, user_get, user_list
from .services import membership_add, membership_remove, user_create, user_update


def user_index(request):
    search = request.GET.get("q", "").strip()
    page = paginate(request, user_list(actor=request.user, search=search))
    return render_list(request, "accounts/list.html", {"page": page, "q": search})


def user_detail(request, pk):
    user = user_get(actor=request.user, pk=pk)
    return render(
        request,
        "accounts/detail.html",
        {"account": user, "membership_form": MembershipForm()},
    )


def user_create_view(request):
    if not AccountPolicy.can(request.user, "manage"):
        raise Http404
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account was created."))
            return redirect("accounts:detail", pk=user.pk)
    return render(request, "accounts/form.html", {"form": form})


def user_update_view(request, pk):
    user = user_get(actor=request.user, pk=pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=request.user, user=user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:detail", pk=user.pk)
    return render(request, "accounts/form.html", {"form": form, "account": user})


@require_POST
def membership_add_view(request, pk):
    user = user_get(actor=request.user, pk=pk)
    apply_form(
        request,
        MembershipForm(request.POST),
        membership_add,
        user=user,
        success=_("The role was granted."),
        invalid=_("Choose a role and the node it is held on."),
    )
    return redirect("accounts:detail", pk=user.pk)


@require_POST
def membership_remove_view(request, pk, membership_pk):
    user = user_get(actor=request.user, pk=pk)
    membership = membership_get(user=user, pk=membership_pk)
    membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("The role was withdrawn."))
    return redirect("accounts:detail", pk=user.pk)
