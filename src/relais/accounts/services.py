"""Writes to accounts and role memberships: checked, atomic, audited."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.roles import Role
from relais.territory.models import Territory

from .models import RoleMembership, User
from .policies import AccountPolicy

ROLE_LEVELS = {
    Role.NATIONAL_ADMIN: {Territory.Level.COUNTRY},
    Role.REGIONAL_COORDINATOR: {Territory.Level.REGION},
}


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError({"password": error.messages}) from error


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    person=None,
) -> User:
    AccountPolicy.require(actor, "manage")
    user = User(
        username=username.strip(),
        first_name=first_name,
        last_name=last_name,
        email=email,
        person=person,
    )
    _check_password(password, user)
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ApplicationError(error.message_dict) from error
    user.save()
    audit(actor, "account.create", user)
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    is_active: bool,
    person=None,
    password: str = "",
) -> User:
    AccountPolicy.require(actor, "manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_active, user.person = is_active, person
    fields = ["first_name", "last_name", "email", "is_active", "person"]
    if password:
        _check_password(password, user)
        user.set_password(password)
        fields.append("password")
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ApplicationError(error.message_dict) from error
    user.save(update_fields=fields)
    audit(actor, "account.update", user, details={"password_changed": bool(password)})
    return user


@transaction.atomic
def membership_add(
    *, actor, user: User, role: str, territory=None, organisation=None
) -> RoleMembership:
    """Grant a role on one node; the node's kind must suit the role."""
    AccountPolicy.require(actor, "manage")
    if role in RoleMembership.TERRITORY_ROLES:
        if territory is None or organisation is not None:
            raise ApplicationError(
                {"territory": _("This role is held on a territory.")}
            )
        levels = ROLE_LEVELS.get(role)
        if levels and territory.level not in levels:
            raise ApplicationError(
                {
                    "territory": _("This role is held on: %(levels)s.")
                    % {
                        "levels": ", ".join(
                            str(Territory.Level(level).label) for level in levels
                        )
                    }
                }
            )
    elif organisation is None or territory is not None:
        raise ApplicationError(
            {"organisation": _("This role is held on an organisation.")}
        )
    try:
        with transaction.atomic():
            membership = RoleMembership.objects.create(
                user=user, role=role, territory=territory, organisation=organisation
            )
    except IntegrityError as error:
        raise ApplicationError(
            _("This account already holds this role there.")
        ) from error
    audit(actor, "membership.create", membership, details={"user": user.username})
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: RoleMembership) -> None:
    AccountPolicy.require(actor, "manage")
    audit(
        actor,
        "membership.delete",
        membership,
        details={"user": membership.user.username},
    )
    membership.delete()
