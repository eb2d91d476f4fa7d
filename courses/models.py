"""Courses as Wagtail pages (CatalogPage > CoursePage > LessonPage) and each member's progress."""

import secrets
from datetime import date
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Orderable, Page, PageManager
from wagtail.search import index

from lms.accounts.models import User

from . import signals
from .audience import AudienceQuerySet, HasAudience
from .blocks import lesson_body_blocks
from .forms import CoursePageForm, LessonPageForm
from .permissions import ManagedByOrganization, ManagedQuerySet
from .search import cjk_index_text
from .status import deadline_passed


# Wagtail ships no types: the plugin cannot find the manager of the page model for the
# reverse relation of `CoursePage.topic` (courses).
class CourseTopic(models.Model):  # type: ignore[django-manager-missing]
    """A subject area courses are filed under (党史, 理论学习, 党章党规 …); edited as a snippet."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("course topic")
        verbose_name_plural = _("course topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


if TYPE_CHECKING:
    # What the mixin goes into: a Wagtail page, whose get_context comes after it.
    from wagtail.models import Page as _MemberPageBase
else:
    _MemberPageBase = object


class ContextFromViews(_MemberPageBase):
    """Member pages get their template context from courses/views.py, the layer above the
    models: it answers the `page_context` signal for each page type."""

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        for _receiver, extra in signals.page_context.send(
            sender=type(self), page=self, request=request
        ):
            context.update(extra)
        return context


class CoursePageQuerySet(AudienceQuerySet, ManagedQuerySet):
    """Courses, by audience (who takes them) and by managing organisation (who works on them)."""


class CatalogPage(ContextFromViews, Page):
    """The course catalogue: the courses a member may see, filtered by topic, required or
    elective, and searched (Chinese included)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(ContextFromViews, HasAudience, ManagedByOrganization, Page):
    """A course: its lessons below it, who may take it, and what completing it is worth."""

    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in the catalogue.")
    )
    description = RichTextField(
        pgettext_lazy("course", "description"),
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul", "link"],
    )
    topic = models.ForeignKey(
        CourseTopic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Study hours (学时) credited when the course is completed."),
    )
    completion_points = models.PositiveSmallIntegerField(
        _("points on completion"),
        null=True,
        blank=True,
        help_text=_(
            "Study points for completing this course. Leave empty for the points of the "
            "“course completed” rule; that rule's daily cap applies either way."
        ),
    )
    audience = ParentalManyToManyField(
        "orgs.PartyOrganization",
        verbose_name=_("audience"),
        blank=True,
        related_name="+",
        help_text=_(
            "Organisations whose members (whole subtrees) may see and take the course. "
            "Leave empty for everyone."
        ),
    )

    managed_by = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_courses",
        verbose_name=_("managed by"),
        help_text=_(
            "Trainers and reviewers of this organisation and of those above it work on the "
            "course and its lessons. Empty: site admins only."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("credit_hours"),
                FieldPanel("completion_points"),
            ],
            heading=_("Catalogue"),
        ),
        InlinePanel("trainers", heading=_("Trainers"), label=_("Trainer")),
        FieldPanel("audience"),
        FieldPanel("managed_by"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("search_ngrams"),
        index.FilterField("topic"),
    ]

    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = CoursePageForm

    objects = PageManager.from_queryset(CoursePageQuerySet)()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def search_ngrams(self) -> str:
        """Chinese n-grams of the title and texts, so search finds words inside them."""
        return cjk_index_text(self.title, self.summary, self.description)

    def lessons(self) -> models.QuerySet["LessonPage"]:
        """The live lessons in the order trainers arranged them."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.is_visible_to(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    @classmethod
    def of_page(cls, page: Page) -> "CoursePage | None":
        """The course a page is or belongs to (a lesson's course); None for other pages."""
        return cls.objects.ancestor_of(page, inclusive=True).first()

    @classmethod
    def may_work_on(cls, user: User | AnonymousUser, page: Page) -> bool:
        """Whether the user may work on this page as far as course ownership goes (pages
        outside courses are left to Wagtail's permissions)."""
        if user.is_authenticated and user.is_superuser:
            return True
        course = cls.of_page(page)
        return course is None or course.is_managed_by(user)


class CourseReviewTask(GroupApprovalTask):
    """The review task (审核员审核): Wagtail's group approval, with each reviewer kept to the
    courses their organisations manage (courses/permissions.py). Same table, other behaviour."""

    class Meta:
        proxy = True
        verbose_name = _("course review task")
        verbose_name_plural = _("course review tasks")

    @staticmethod
    def _works_on(obj, user) -> bool:
        return not isinstance(obj, Page) or CoursePage.may_work_on(user, obj)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self._works_on(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self._works_on(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and self._works_on(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._works_on(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__object_id__in=self._pages_of_unmanaged(user))

    @staticmethod
    def _pages_of_unmanaged(user) -> list[str]:
        """Ids (as Wagtail's workflow states keep them, text) of the courses the user may not
        work on and of their lessons: kept off their review list."""
        paths = list(CoursePage.objects.unmanaged_by(user).values_list("path", flat=True))
        if not paths:
            return []
        pages = Page.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))
        return [str(pk) for pk in pages.values_list("pk", flat=True)]


class CourseTrainer(Orderable):
    """A person teaching a course, as the course page presents them."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(
        pgettext_lazy("person", "title"),
        max_length=100,
        blank=True,
        help_text=_("For example: 市委党校教授"),
    )

    panels = [FieldPanel("name"), FieldPanel("title")]

    def __str__(self) -> str:
        return self.name


class LessonPage(ContextFromViews, Page):
    """One lesson of a course: a body of blocks and the rule that says when it is done."""

    body = StreamField(
        lesson_body_blocks(),
        verbose_name=_("body"),
        blank=True,
        block_counts={"video": {"max_num": 1}},
    )
    is_required = models.BooleanField(
        _("required for the course"),
        default=True,
        help_text=_("The course is complete when every required lesson is complete."),
    )
    complete_video_percent = models.PositiveSmallIntegerField(
        _("watched at least (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Done when this share of the lecture video has been watched. Empty: no need."),
    )
    complete_quiz = models.BooleanField(
        _("quiz passed"),
        default=False,
        help_text=_("Done when every quiz of the lesson is passed."),
    )
    complete_h5p = models.BooleanField(
        _("H5P activity completed"),
        default=False,
        help_text=_("Done when every H5P activity of the lesson is completed."),
    )
    complete_read_seconds = models.PositiveIntegerField(
        _("read for at least (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Done after this much time on the lesson page. Empty: no need."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("is_required"),
                FieldPanel("complete_video_percent"),
                FieldPanel("complete_quiz"),
                FieldPanel("complete_h5p"),
                FieldPanel("complete_read_seconds"),
            ],
            heading=_("Completion rule"),
            help_text=_(
                "Every condition chosen must be met. With none chosen, opening the lesson "
                "completes it."
            ),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.SearchField("search_ngrams"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = LessonPageForm

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def search_ngrams(self) -> str:
        """Chinese n-grams of the title and body, so search finds words inside them."""
        body_text = self.body.stream_block.get_searchable_content(self.body)
        return cjk_index_text(self.title, *body_text)

    def blocks_of_type(self, block_type: str) -> list:
        """The values of the body's blocks of one type, in order."""
        return [block.value for block in self.body if block.block_type == block_type]

    @property
    def has_video(self) -> bool:
        return bool(self.blocks_of_type("video"))

    def video_duration(self) -> float | None:
        """Length in seconds of the lecture video; None without one (or before probing)."""
        videos = self.blocks_of_type("video")
        video = videos[0]["video"] if videos else None
        if video is None or not video.duration:
            return None
        return float(video.duration)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.complete_video_percent and not self.has_video:
            errors["complete_video_percent"] = _("The lesson has no lecture video to watch.")
        if self.complete_quiz and not self.blocks_of_type("quiz"):
            errors["complete_quiz"] = _("The lesson has no quiz.")
        if self.complete_h5p and not self.blocks_of_type("h5p"):
            errors["complete_h5p"] = _("The lesson has no H5P activity.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def course(self) -> CoursePage | None:
        return CoursePage.objects.filter(path=self.path[: -self.steplen]).first()

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        course = self.course
        if course is None or not course.live or not course.is_visible_to(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)


class Enrollment(models.Model):
    """A member taking a course, by their own choice or through a required-course assignment."""

    class Source(models.TextChoices):
        SELF = "self", _("Enrolled by the member")
        ASSIGNED = "assigned", _("Required by the organisation")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("member"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last lesson studied"),
    )
    last_activity_at = models.DateTimeField(_("last studied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_enrol_once")
        ]
        indexes = [models.Index(fields=["user", "-last_activity_at"], name="courses_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """One member's progress in one lesson: the video seconds actually watched (merged
    intervals), where to resume, time spent on the page, and when the lesson was completed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("member"),
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    watched = models.JSONField(
        _("watched intervals"), default=list, help_text=_("Merged [start, end] seconds.")
    )
    unique_watched_seconds = models.FloatField(_("unique seconds watched"), default=0)
    resume_position = models.FloatField(_("resume position (seconds)"), default=0)
    read_seconds = models.FloatField(_("seconds on the page"), default=0)
    video_minutes_credited = models.PositiveIntegerField(default=0)
    # When a heartbeat of any kind last came from this lesson's page: its reading time. (What
    # can have been played is the member's, shared by all lessons: StudyClock.)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def watched_percent(self, duration: float | None) -> float:
        """Share of the lecture video (of `duration` seconds) watched, 0–100, one decimal."""
        if not duration:
            return 0.0
        return round(min(100.0, self.unique_watched_seconds * 100.0 / duration), 1)


class DailyStudyTime(models.Model):
    """Seconds a member spent on lesson pages on one day (Asia/Shanghai), credited by the
    heartbeat in the same transaction as the lesson's progress; study hours, "active this
    week" and weekly trends are sums of these rows."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="study_days",
        verbose_name=_("member"),
    )
    day = models.DateField(_("day"))
    seconds = models.FloatField(_("seconds studied"), default=0)

    class Meta:
        verbose_name = _("study time of a day")
        verbose_name_plural = _("study time per day")
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="courses_study_day_once")
        ]
        # A week of rows for a whole organisation (dashboards) without touching other days.
        indexes = [models.Index(fields=["day", "member"], name="courses_study_day_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.day}: {self.seconds:.0f} s"


class StudyClock(models.Model):
    """The member's two wall clocks, shared by every lesson they have open: what can have been
    played (the video allowance) and when study time was last credited. However many lessons
    or tabs are open at once, video credit stays within MAX_PLAYBACK_RATE × wall time (+ the
    tolerance) and study time within the wall time (courses.progress.record_heartbeat). The
    row is locked first by every heartbeat of the member, so their heartbeats take turns."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="study_clock",
        verbose_name=_("member"),
    )
    # Seconds of video that may still be credited, and when a player last reported.
    video_allowance = models.FloatField(default=0)
    last_video_heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_study_credit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("study clock")
        verbose_name_plural = _("study clocks")

    def __str__(self) -> str:
        return f"{self.member}"


class RequiredCourseAssignment(models.Model):
    """A course every member of an organisation's subtree must complete by a deadline (必修课);
    members who join the subtree later are enrolled too."""

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("course"),
    )
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.CASCADE,
        related_name="required_courses",
        verbose_name=_("organisation"),
    )
    deadline = models.DateField(_("deadline"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("required course")
        verbose_name_plural = _("required courses")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "organization"], name="courses_assign_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.course} · {self.deadline}"

    def is_overdue(self, today: date | None = None) -> bool:
        """Whether the deadline has passed (the whole deadline day still counts as on time)."""
        return deadline_passed(self.deadline, today)


def new_certificate_code() -> str:
    """A verification code people can read out: 16 characters without 0/O/1/I, in groups."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class Certificate(models.Model):
    """Proof that a member completed a course, checkable by anyone with its code.

    What it certifies is copied in when it is issued, so later edits of the course or the
    member's record do not change a certificate already handed out.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("member"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
        verbose_name=_("course"),
    )
    code = models.CharField(
        _("verification code"), max_length=19, unique=True, default=new_certificate_code
    )
    holder_name = models.CharField(_("holder"), max_length=50)
    organization_name = models.CharField(_("organisation"), max_length=120, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    credit_hours = models.DecimalField(_("credit hours"), max_digits=5, decimal_places=1)
    completed_at = models.DateTimeField(_("completed at"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-completed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_certificate_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.holder_name} · {self.course_title}"
