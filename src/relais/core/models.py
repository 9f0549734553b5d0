"""The base model and the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(models.Model):
    """A record placed in the two trees: the paths of its territory and of its
    organisation, copied when it is written, which policies filter on and the
    audit log records."""

    territory_path = models.CharField(max_length=255, db_index=True, editable=False)
    organisation_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True

    def audit_paths(self) -> tuple[str, str]:
        return self.territory_path, self.organisation_path


class AuditEvent(models.Model):
    """Who did what, to what, when and from where.

    The paths copy the target's place in the two trees at the time of the event, so
    that the audit log is scoped like everything else without joining to targets that
    may since have moved or been deleted.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    territory_path = models.CharField(max_length=255, blank=True, db_index=True)
    organisation_path = models.CharField(max_length=255, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
