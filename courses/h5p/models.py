"""H5P packages, the openings of their player, the xAPI statements members' activities send,
and who completed what."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_content_token() -> str:
    """An unguessable name for a package's content folder and URLs (192 random bits)."""
    return secrets.token_urlsafe(24)


def original_upload_to(instance: "H5PPackage", filename: str) -> str:
    # The trainer's file name is not used: it may be anything, in any script.
    return f"h5p/packages/{secrets.token_hex(8)}.h5p"


class H5PPackage(models.Model):
    """An H5P activity a trainer uploaded: the original .h5p, checked and unpacked for playing.

    Only a package that passed `courses.h5p.validation.validate_package` is ever saved, so every
    row can be played. The unpacked files live under settings.H5P_CONTENT_ROOT in a folder named
    by `content_token`, outside MEDIA_ROOT, and are served only by `courses.h5p.views`, to the
    holder of a play grant, with headers that keep the content away from the site's session.
    A package belongs to an organisation (`courses.h5p.permissions` says who manages and who
    uses it).
    """

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("H5P file"),
        upload_to=original_upload_to,
        max_length=255,
        help_text=_("The .h5p file exported from an H5P editor, with its libraries included."),
    )
    content_token = models.CharField(
        max_length=64, unique=True, default=new_content_token, editable=False
    )
    main_library = models.CharField(_("content type"), max_length=255, editable=False)
    manifest = models.JSONField(_("h5p.json"), default=dict, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0, editable=False)
    unpacked_size = models.PositiveBigIntegerField(_("unpacked size"), default=0, editable=False)
    file_count = models.PositiveIntegerField(_("number of files"), default=0, editable=False)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="h5p_packages",
        verbose_name=_("organisation"),
        help_text=_(
            "Trainers of this organisation and of those above it manage the activity; trainers "
            "below it may put it in their lessons. Empty: the platform's, managed by site admins."
        ),
    )
    pass_score_percent = models.PositiveSmallIntegerField(
        _("minimum score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Leave empty to count the activity as completed when the member finishes it; "
            "otherwise the member must also reach this score."
        ),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")

    def __str__(self) -> str:
        return self.title

    def xapi_object_iri(self, request: HttpRequest) -> str:
        """The xAPI activity id of this package; sub-content ids append `?subContentId=…`."""
        return request.build_absolute_uri(f"/h5p/activities/{self.pk}")


class H5PPlay(models.Model):
    """One showing of a package's player to a member, recorded when the isolated frame loads
    under the grant the lesson page gave (`courses.h5p.grants`): how the server knows that the
    activity was open, and since when, before it counts a completion."""

    key = models.CharField(_("grant key"), max_length=32, unique=True)
    package = models.ForeignKey(
        H5PPackage, on_delete=models.CASCADE, related_name="plays", verbose_name=_("H5P activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="h5p_plays",
        verbose_name=_("member"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("H5P player opening")
        verbose_name_plural = _("H5P player openings")

    def __str__(self) -> str:
        return f"{self.user} · {self.package} · {self.opened_at:%Y-%m-%d %H:%M:%S}"


class H5PStatement(models.Model):
    """One xAPI statement a member's H5P activity sent, as received, with our actor."""

    package = models.ForeignKey(
        H5PPackage,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("H5P activity"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="h5p_statements",
        verbose_name=_("member"),
    )
    statement_id = models.UUIDField(_("statement id"))
    verb = models.CharField(_("verb"), max_length=255)
    object_iri = models.CharField(_("object"), max_length=1000)
    # Set when the statement is about a part of the activity (a question inside a set), not
    # the activity as a whole; only whole-activity statements can complete it.
    subcontent_id = models.CharField(_("sub-content id"), max_length=100, blank=True)
    completion = models.BooleanField(_("completion"), null=True)
    success = models.BooleanField(_("success"), null=True)
    score_scaled = models.FloatField(_("score (scaled)"), null=True)
    statement = models.JSONField(_("statement"))
    stored_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        ordering = ["stored_at", "pk"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        constraints = [
            # A statement the browser resends (retry after a network error) is stored once.
            models.UniqueConstraint(
                fields=["user", "statement_id"], name="h5p_statement_once_per_user"
            ),
        ]
        indexes = [models.Index(fields=["package", "user", "stored_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.verb.rsplit('/', 1)[-1]} {self.package}"


class H5PCompletion(models.Model):
    """When a member first completed an H5P package (written once, never updated)."""

    package = models.ForeignKey(
        H5PPackage,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("H5P activity"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="h5p_completions",
        verbose_name=_("member"),
    )
    statement = models.ForeignKey(
        H5PStatement,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("completing statement"),
    )
    score_scaled = models.FloatField(_("score (scaled)"), null=True)
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P completion")
        verbose_name_plural = _("H5P completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "package"], name="h5p_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.package}"
