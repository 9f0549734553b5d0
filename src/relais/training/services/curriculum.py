"""The programmes of the cascade: modules, curriculum kits and tests.

Only the programme unit writes them; every write is checked, atomic and audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import full_clean, require
from relais.core.services import model_update

from ..models import CurriculumKit, Instrument, Module, Programme
from ..policies import ProgrammePolicy


@transaction.atomic
def programme_create(*, actor, **fields) -> Programme:
    """A programme, with its four instruments (each scored out of 20 by default)."""
    ProgrammePolicy.require(actor, "manage")
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
    ProgrammePolicy.require(actor, "manage")
    model_update(programme, fields, fields)
    full_clean(programme)
    programme.save()
    audit(actor, "programme.update", programme, details={"fields": sorted(fields)})
    return programme


@transaction.atomic
def module_create(*, actor, programme: Programme, **fields) -> Module:
    ProgrammePolicy.require(actor, "manage")
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
    ProgrammePolicy.require(actor, "manage")
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
    ProgrammePolicy.require(actor, "manage")
    instrument.max_score = max_score
    full_clean(instrument)
    instrument.save(update_fields=["max_score"])
    audit(actor, "instrument.update", instrument.programme)
    return instrument
