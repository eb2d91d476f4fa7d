"""Notifications to members, Excel exports and frozen weekly numbers of organisations."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.core import days


class Notification(models.Model):
    """A message to one member, listed on their notifications page (and mailed when they have
    an address): reminders of required courses, at most one per member, course and week."""

    class Kind(models.TextChoices):
        COURSE_REMINDER = "course_reminder", _("Required course reminder")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    deadline = models.DateField(_("course deadline"), null=True, blank=True)
    # Monday of the week the reminder belongs to: the unit reminders are idempotent in.
    week = models.DateField(_("week"), null=True, blank=True)
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
                fields=["kind", "recipient", "course", "week"],
                condition=models.Q(course__isnull=False, week__isnull=False),
                name="dashboards_reminder_once_a_week",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="dashboards_unread_idx"),
            models.Index(fields=["kind", "course", "week"], name="dashboards_reminded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def title(self) -> str:
        """A line saying what it is about, in the reader's language."""
        course = self.course.title if self.course is not None else ""
        return gettext("Required course: %(course)s") % {"course": course}

    @property
    def message(self) -> str:
        """The reminder's text, in the reader's language (the deadline decides its tone)."""
        if self.deadline is None:
            return gettext("Please complete this required course.")
        deadline = date_format(self.deadline, "DATE_FORMAT")
        if self.deadline < days.day_of(self.created_at):
            return gettext(
                "The deadline (%(deadline)s) has passed. Please complete the course as soon "
                "as you can."
            ) % {"deadline": deadline}
        return gettext("Please complete the course by %(deadline)s.") % {"deadline": deadline}


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
        return f"{self.organization.name}-{self.get_kind_display()}-{self.created_at:%Y%m%d}.xlsx"


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
