"""Organisations of the Pôle social and its partners, as one tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.core.bilingual import in_reader_language
from relais.core.models import TimeStampedModel
from relais.territory.models import Territory


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        CENTRAL_SERVICE = "central_service", _("Central service")
        REGIONAL_DELEGATION = "regional_delegation", _("Regional delegation")
        EN_COORDINATION = "en_coordination", _("Entraide Nationale coordination")
        SOCIAL_CENTRE = "social_centre", _("Social centre")
        ASSOCIATION = "association", _("Partner association")

    # A short stable code, the natural key for imports and the demo ("CS-DAK-01").
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("province or prefecture"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Materialised paths kept by the services: this node's place in the organisation
    # tree ("4/17/") and a copy of its territory's path, so scoping needs no join.
    path = models.CharField(max_length=255, unique=True, editable=False)
    territory_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_reader_language(self.name_fr, self.name_ar)

    @staticmethod
    def area_of(kind: str, territory_path: str) -> str:
        """The part of the territory where organisations below one of this kind,
        placed at `territory_path`, may sit: the country for a central service,
        the region for a regional delegation or a coordination, the province for
        a centre or an association."""
        K = Organisation.Kind
        parts = territory_path.split("/")
        if kind == K.CENTRAL_SERVICE:
            return f"{parts[0]}/"
        if kind in (K.REGIONAL_DELEGATION, K.EN_COORDINATION):
            return "/".join(parts[:2]) + "/"
        return territory_path

    @property
    def area_path(self) -> str:
        return self.area_of(self.kind, self.territory_path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def audit_paths(self) -> tuple[str, str]:
        return self.territory_path, self.path
