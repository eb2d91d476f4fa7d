"""A message to one member, listed on their notifications page and counted on the navigation's
我的 (and mailed when they have an address and the sender wants it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import kind_of


class Notification(models.Model):
    """A message to one member. What it says comes from its kind (`kinds.register`) and
    parameters, in the reader's language; `key` makes sending idempotent (one per recipient
    and key: pressing "remind" twice sends one)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    key = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notifications_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
            models.Index(fields=["key"], name="notifications_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def title(self) -> str:
        kind = kind_of(self.kind)
        return kind.title(self) if kind else str(self.params.get("title", ""))

    @property
    def message(self) -> str:
        kind = kind_of(self.kind)
        return kind.message(self) if kind else str(self.params.get("message", ""))

    @property
    def url(self) -> str:
        kind = kind_of(self.kind)
        return kind.url(self) if kind else ""
