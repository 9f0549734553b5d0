"""The programmes of the cascade: modules, curriculum kits and tests.

Only the programme unit writes them; every write is checked, atomic and audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import full_clean, require
from relais.core.roles import Permission
from relais.core.scoping import has_permission

from ..models import CurriculumKit, Instrument, Module, Programme


def _require_programme_manager(actor) -> None:
    require(
        has_permission(actor, Permission.PROGRAMME_MANAGE),
        _("Only the programme unit manages programmes."),
    )


@transaction.atomic
def programme_create(*, actor, **fields) -> Programme:
    """A programme, with its four instruments (each scored out of 20 by default)."""
    _require_programme_manager(actor)
    programme = Programme(**fields)
    full_clean(programme)
    programme.save()
    Instrument.objects.bulk_create(
        Instrument(programme=programme, kind=kind) for kind in Instrument.Kind.values
    )
    audit(actor, "programme.create", programme)
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, **fields) -> Programme:
    _require_programme_manager(actor)
    for name, value in fields.items():
        setattr(programme, name, value)
    full_clean(programme)
    programme.save()
    audit(actor, "programme.update", programme, details={"fields": sorted(fields)})
    return programme


@transaction.atomic
def module_create(*, actor, programme: Programme, **fields) -> Module:
    _require_programme_manager(actor)
    module = Module(programme=programme, **fields)
    full_clean(module)
    module.save()
    audit(actor, "module.create", module)
    return module


@transaction.atomic
def kit_release(
    *, actor, programme: Programme, version: str, released_on, modules, notes=""
) -> CurriculumKit:
    """Release a new version of the material; earlier sessions keep theirs."""
    _require_programme_manager(actor)
    require(
        all(m.programme_id == programme.pk for m in modules),
        _("A kit holds modules of its own programme only."),
    )
    kit = CurriculumKit(
        programme=programme, version=version, released_on=released_on, notes=notes
    )
    full_clean(kit)
    kit.save()
    kit.modules.set(modules)
    audit(actor, "kit.release", kit)
    return kit


@transaction.atomic
def instrument_update(*, actor, instrument: Instrument, max_score) -> Instrument:
    _require_programme_manager(actor)
    instrument.max_score = max_score
    full_clean(instrument)
    instrument.save(update_fields=["max_score"])
    audit(actor, "instrument.update", instrument.programme)
    return instrument
