"""Log-in accounts and the roles they hold on the territory and organisation trees."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimeStampedModel
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory


class User(AbstractUser):
    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # Demo accounts can log in only while RELAIS_DEMO_MODE is on.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def audit_paths(self) -> tuple[str, str]:
        return "MA/", ""


class RoleMembership(TimeStampedModel):
    """A role held on one node: a territory or an organisation, never both."""

    # Roles held on a territory node; the others are held on an organisation.
    TERRITORY_ROLES = frozenset(
        {Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.ME_OFFICER, Role.AUDITOR}
    )

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=False, organisation__isnull=True)
                    | Q(territory__isnull=True, organisation__isnull=False)
                ),
                name="membership_on_exactly_one_node",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                condition=Q(territory__isnull=False),
                name="one_membership_per_role_and_territory",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_membership_per_role_and_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.node}"

    @property
    def node(self):
        return self.territory or self.organisation

    def audit_paths(self) -> tuple[str, str]:
        if self.territory_id:
            return self.territory.path, ""
        return self.organisation.territory_path, self.organisation.path
