"""Lecture videos and their caption tracks.

A `VideoAsset` keeps the uploaded original and, once transcoded, points at one published HLS
folder (`output_path`: master playlist, renditions, poster, thumbnail sprite). The folder name is
derived from the inputs, so a job that runs twice publishes the same folder.
"""

import posixpath
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index


def original_upload_to(instance: "VideoAsset", filename: str) -> str:
    """Originals live apart from what is served: `video_originals/<random>/<name>`."""
    return f"video_originals/{uuid.uuid4().hex}/{posixpath.basename(filename)}"


def caption_upload_to(instance: "VideoCaption", filename: str) -> str:
    return f"video_captions/{uuid.uuid4().hex}/{posixpath.basename(filename)}"


class VideoAsset(index.Indexed, ClusterableModel):
    """A lecture video (or audio lecture) a trainer uploaded, transcoded to an HLS ladder."""

    class Status(models.TextChoices):
        # With a context: other catalogues translate the bare words differently.
        QUEUED = "queued", pgettext_lazy("video status", "Queued")
        PROCESSING = "processing", pgettext_lazy("video status", "Processing")
        READY = "ready", pgettext_lazy("video status", "Ready")
        FAILED = "failed", pgettext_lazy("video status", "Failed")

    title = models.CharField(pgettext_lazy("video", "title"), max_length=200)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("organisation"),
        help_text=_(
            "Members of this organisation and everything below it may watch the video; trainers "
            "whose role covers it manage it. Empty: the whole platform (site admins only)."
        ),
    )
    original = models.FileField(_("video file"), upload_to=original_upload_to, max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    is_audio_only = models.BooleanField(_("audio only"), default=False)
    renditions = models.JSONField(_("renditions"), default=list, blank=True)
    output_path = models.CharField(
        _("published folder"), max_length=200, blank=True, editable=False
    )
    error = models.TextField(_("error"), blank=True)
    error_detail = models.TextField(_("technical details"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(
        pgettext_lazy("video", "attempts"), default=0, editable=False
    )
    # The running job's claim and its last sign of life: a job whose worker died stops
    # refreshing `heartbeat_at`, and the sweeper (tasks.sweep_stalled_videos) queues it again.
    job_token = models.CharField(max_length=32, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("organization"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("lecture video")
        verbose_name_plural = _("lecture videos")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.output_path)

    @property
    def published_version(self) -> str:
        """The last part of `output_path`: only files of this version are served."""
        return posixpath.basename(self.output_path) if self.output_path else ""


class VideoCaption(Orderable):
    """A subtitle track of a video, stored as WebVTT (an uploaded .srt is converted)."""

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Chinese")
        ENGLISH = "en", _("English")

    video = ParentalKey(VideoAsset, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )
    label = models.CharField(
        _("label"), max_length=50, blank=True, help_text=_("Shown in the player's caption menu.")
    )
    file = models.FileField(
        _("caption file (.srt or .vtt)"), upload_to=caption_upload_to, max_length=300
    )

    class Meta(Orderable.Meta):
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or str(self.Language(self.language).label)

    def clean(self) -> None:
        """A freshly uploaded .srt/.vtt is checked and stored as WebVTT."""
        from .captions import replace_with_webvtt

        replace_with_webvtt(self)
