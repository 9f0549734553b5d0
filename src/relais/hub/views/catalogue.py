"""The shared catalogue of services, by need, place and language, and its
upkeep by the providing organisations' managers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.params import int_param

from .. import selectors, services
from ..forms import ServiceForm
from ..models import Service
from ..policies import ServicePolicy


def need_filter(request):
    """The need the catalogue is filtered by; an unknown one filters nothing."""
    value = request.GET.get("need", "")
    if not value:
        return None
    need = selectors.need_find(int_param(value, low=1))
    if need is None:
        messages.warning(request, _("Unknown need: services for every need are shown."))
    return need


def service_index(request):
    need = need_filter(request)
    territory = selectors.place_find(request.GET.get("place", ""))
    language = request.GET.get("language", "")
    online = {"1": True, "0": False}.get(request.GET.get("online", ""))
    q = request.GET.get("q", "").strip()
    results = selectors.service_search(
        need=need, territory=territory, language=language, online=online, q=q
    )
    page = paginate(request, results)
    return render_list(
        request,
        "hub/service_list.html",
        {
            "page": page,
            "needs": selectors.need_list(),
            "need": need,
            "places": selectors.catalogue_places(),
            "place": territory.code if territory else "",
            "language": language,
            "languages": Service.Language.choices,
            "online": request.GET.get("online", ""),
            "q": q,
            "can_edit": ServicePolicy.can(request.user, "edit"),
            # The catalogue is shared; each service is edited by its provider's
            # managers only.
            "editable": {
                service.pk
                for service in page
                if ServicePolicy.can(request.user, "edit", service.provider)
            },
        },
    )


def service_edit(request, pk=None):
    if not ServicePolicy.can(request.user, "edit"):
        raise Http404
    service = None
    if pk is not None:
        service = selectors.service_get_editable(actor=request.user, pk=pk)
    form = ServiceForm(
        request.POST or None,
        instance=service,
        providers=selectors.provider_list(actor=request.user),
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
