"""Writes to organisations. Each one checks scope, runs atomically and is audited."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.services import model_update
from relais.core.validators import normalise_phone
from relais.territory.models import Territory

from .models import Organisation
from .policies import OrganisationPolicy, Placement

EDITABLE_FIELDS = ("kind", "name_fr", "name_ar", "address", "phone", "is_active")


def _check_placement(actor, *, parent, territory, kind, organisation=None) -> None:
    """The territory must be a province inside the parent's area, the tree must
    stay a tree, the organisations below must stay inside this one's area, and
    the new place must lie within the actor's scope (a centre manager may edit
    their centre, not move it)."""
    if territory.level != Territory.Level.PROVINCE:
        raise ApplicationError(
            {
                "territory": _(
                    "Choose a province or prefecture, not a region or commune."
                )
            }
        )
    if (
        organisation is not None
        and parent is not None
        and (parent.path.startswith(organisation.path))
    ):
        raise ApplicationError(
            {"parent": _("An organisation cannot be placed under itself or below.")}
        )
    unmoved = organisation is not None and (
        organisation.parent_id == (parent.pk if parent else None)
        and organisation.territory_id == territory.pk
    )
    if not unmoved:
        if parent is not None and not territory.path.startswith(parent.area_path):
            raise ApplicationError(
                {
                    "territory": _(
                        "Choose a province within the territory of the parent "
                        "organisation."
                    )
                }
            )
        OrganisationPolicy.require(actor, "place", Placement(parent, territory))
    if organisation is not None and (not unmoved or kind != organisation.kind):
        area = Organisation.area_of(kind, territory.path)
        if organisation.children.exclude(territory_path__startswith=area).exists():
            raise ApplicationError(
                {
                    "territory": _(
                        "Organisations below this one would lie outside its "
                        "territory: move them first."
                    )
                }
            )


def _clean_phone(phone: str) -> str:
    if not phone:
        return ""
    try:
        return normalise_phone(phone)
    except ValidationError as error:
        raise ApplicationError({"phone": error.messages}) from error


@transaction.atomic
def organisation_create(
    *,
    actor,
    code: str,
    kind: str,
    name_fr: str,
    territory: Territory,
    parent: Organisation | None = None,
    name_ar: str = "",
    address: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Organisation:
    """Create an organisation in the tree, inside the actor's scope."""
    _check_placement(actor, parent=parent, territory=territory, kind=kind)
    organisation = Organisation(
        code=code.strip().upper(),
        kind=kind,
        name_fr=name_fr,
        name_ar=name_ar,
        territory=territory,
        parent=parent,
        address=address,
        phone=_clean_phone(phone),
        is_active=is_active,
        territory_path=territory.path,
        # The path needs the primary key: a unique placeholder until it is known.
        path=f"new-{uuid.uuid4().hex}",
    )
    organisation.full_clean()
    organisation.save()
    organisation.path = f"{parent.path if parent else ''}{organisation.pk}/"
    organisation.save(update_fields=["path"])
    audit(actor, "organisation.create", organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    parent: Organisation | None,
    territory: Territory,
    **fields,
) -> Organisation:
    """Change an organisation; moving it carries its whole subtree along."""
    # Lock the row: two editors moving the same subtree must not interleave.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    OrganisationPolicy.require(actor, "edit", organisation)
    _check_placement(
        actor,
        parent=parent,
        territory=territory,
        kind=fields.get("kind", organisation.kind),
        organisation=organisation,
    )
    if "phone" in fields:
        fields["phone"] = _clean_phone(fields["phone"])
    before = {f: getattr(organisation, f) for f in EDITABLE_FIELDS}
    model_update(organisation, EDITABLE_FIELDS, fields)
    organisation.parent = parent
    organisation.territory = territory
    organisation.territory_path = territory.path
    organisation.full_clean(exclude=["path"])
    old_path = organisation.path
    new_path = f"{parent.path if parent else ''}{organisation.pk}/"
    organisation.save()
    if new_path != old_path:
        Organisation.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        organisation.refresh_from_db(fields=["path"])
    changes = {
        f: [str(before[f]), str(getattr(organisation, f))]
        for f in EDITABLE_FIELDS
        if before[f] != getattr(organisation, f)
    }
    audit(actor, "organisation.update", organisation, details={"changes": changes})
    return organisation
