"""Excel exports and frozen weekly numbers of organisations (reminders are notifications:
lms.notifications, read as notices.py says)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.core import days


def export_storage() -> FileSystemStorage:
    """Where finished exports are kept: outside MEDIA_ROOT, so only the download view (which
    checks who asks) can hand them out."""
    return FileSystemStorage(location=settings.DASHBOARDS_EXPORT_ROOT)


class Export(models.Model):
    """An Excel report of an organisation's subtree that someone asked for: a Celery job
    writes it while the page shows its progress; only they (and site admins) may download it."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Required-course completion")
        POINTS = "points", _("Study points and study time")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("report"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("members written"), default=0)
    file = models.FileField(_("file"), storage=export_storage, upload_to="%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # The workbook speaks the language of the page it was asked from.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organization} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_visible_to(self, user) -> bool:
        """Only the person who asked for an export, and site admins, may see or download it:
        it holds members' personal data of a scope chosen by that person's roles."""
        return user.is_authenticated and (user.pk == self.requested_by_id or user.is_superuser)

    def download_name(self) -> str:
        """The file name the browser saves it as."""
        day = days.day_of(self.created_at)  # the platform's date, not the server clock's (UTC)
        return f"{self.organization.name}-{self.get_kind_display()}-{day:%Y%m%d}.xlsx"


class OrganizationWeek(models.Model):
    """One organisation's own members (not its subtree's) in one finished week: frozen when the
    week is over, so a subtree's weekly trend is a sum of a few rows, whatever its size."""

    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    week = models.DateField(_("week (Monday)"))
    members = models.PositiveIntegerField(_("members"), default=0)
    active_members = models.PositiveIntegerField(_("active members"), default=0)
    study_seconds = models.FloatField(_("seconds studied"), default=0)
    points = models.IntegerField(_("points"), default=0)

    class Meta:
        verbose_name = _("week of an organisation")
        verbose_name_plural = _("weeks of organisations")
        constraints = [
            models.UniqueConstraint(fields=["organization", "week"], name="dashboards_org_week")
        ]
        indexes = [models.Index(fields=["week", "organization"], name="dashboards_week_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.week}"


class FrozenWeek(models.Model):
    """A finished week whose numbers have been frozen for every organisation."""

    week = models.DateField(_("week (Monday)"), unique=True)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("frozen week")
        verbose_name_plural = _("frozen weeks")

    def __str__(self) -> str:
        return str(self.week)
