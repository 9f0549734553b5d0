"""Morocco's territory: country, 12 regions, provinces and prefectures, communes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.core.bilingual import in_reader_language


class Territory(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province or prefecture")
        COMMUNE = "commune", _("Commune")

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        PREFECTURE_OF_ARRONDISSEMENTS = (
            "prefecture_of_arrondissements",
            _("Prefecture of arrondissements"),
        )
        URBAN = "urban", _("Urban commune")
        RURAL = "rural", _("Rural commune")

    # The HCP code ("09", "09.001", "09.001.01.1"); the country is "MA".
    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "MA/09/09.001/": everything below a node is one prefix query.
    path = models.CharField(max_length=255, unique=True)
    population_2024 = models.PositiveIntegerField(_("population (2024)"), null=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_reader_language(self.name_fr, self.name_ar)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def region_code(self) -> str:
        parts = self.path.split("/")
        return parts[1] if len(parts) > 2 else ""

    def audit_paths(self) -> tuple[str, str]:
        return self.path, ""
