"""Question banks, quizzes and attempts; study-point rules, the points ledger and its totals."""

import hashlib
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# --- question banks ------------------------------------------------------------------------

# Options A–H: what the admin form allows and the Excel columns hold.
MAX_OPTIONS = 8


def normalise_text(text: str) -> str:
    """Text as answers and duplicates are compared: NFKC (full-width → half-width), trimmed,
    inner whitespace collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


class QuestionBank(models.Model):
    """A named collection of questions (题库) that quizzes draw from."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="question_banks",
        verbose_name=_("organisation"),
        help_text=_(
            "Trainers of this organisation and of those above it manage the bank; trainers "
            "below it may draw questions from it. Empty: a bank of the whole platform, "
            "managed by site admins."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("organization"), FieldPanel("description")]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaggedQuestion(TaggedItemBase):
    """The link between a question and one of its knowledge points (知识点)."""

    content_object = ParentalKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(ClusterableModel):
    """One question of a bank: single or multiple choice, true/false, or fill in the blank."""

    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        FILL_BLANK = "fill_blank", _("Fill in the blank")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("Easy")
        MEDIUM = 2, _("Medium")
        HARD = 3, _("Hard")

    CHOICE_TYPES = (Type.SINGLE, Type.MULTIPLE, Type.TRUE_FALSE)

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("bank")
    )
    type = models.CharField(
        pgettext_lazy("question", "type"), max_length=12, choices=Type.choices, default=Type.SINGLE
    )
    stem = models.TextField(_("question"))
    accepted_answers = models.TextField(
        _("accepted answers"),
        blank=True,
        help_text=_(
            "Fill in the blank only: one accepted answer per line. Spaces around an answer, "
            "full-width and half-width characters and letter case do not matter."
        ),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    score = models.PositiveSmallIntegerField(_("score"), default=1)
    tags = ClusterTaggableManager(
        through=TaggedQuestion,
        blank=True,
        verbose_name=_("knowledge points"),
        help_text=_("Knowledge points (tags) that random draws can select by."),
    )
    fingerprint = models.CharField(max_length=40, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("bank"),
        FieldRowPanel([FieldPanel("type"), FieldPanel("difficulty"), FieldPanel("score")]),
        FieldPanel("stem"),
        InlinePanel("options", label=_("Options"), heading=_("Options (choice questions)")),
        FieldPanel("accepted_answers"),
        FieldPanel("explanation"),
        FieldPanel("tags"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "pk"]
        indexes = [models.Index(fields=["bank", "fingerprint"], name="quizzes_question_dup_idx")]

    def __str__(self) -> str:
        return self.stem if len(self.stem) <= 60 else self.stem[:59] + "…"

    @staticmethod
    def make_fingerprint(question_type: str, stem: str) -> str:
        """Two questions of one bank are duplicates when type and normalised stem agree."""
        raw = f"{question_type}\n{normalise_text(stem)}"
        return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()

    def save(self, *args, **kwargs) -> None:
        self.fingerprint = self.make_fingerprint(self.type, self.stem)
        super().save(*args, **kwargs)

    @property
    def is_choice(self) -> bool:
        return self.type in self.CHOICE_TYPES

    def accepted_answer_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.type == self.Type.FILL_BLANK and not self.accepted_answer_list():
            raise ValidationError(
                {"accepted_answers": _("A fill-in-the-blank question needs an accepted answer.")}
            )
        if self.bank_id and self.stem:
            duplicate = Question.objects.filter(
                bank_id=self.bank_id, fingerprint=self.make_fingerprint(self.type, self.stem)
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError({"stem": _("This bank already has the same question.")})


class QuestionOption(Orderable):
    """One option of a choice question, and whether choosing it is right."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text


# --- quizzes ---------------------------------------------------------------------------------


class Quiz(ClusterableModel):
    """A quiz members take: a course exam or standalone quiz, the daily quiz (每日答题), a
    special-topic quiz (专项答题) or a knowledge contest (知识竞赛)."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Quiz or exam")
        DAILY = "daily", _("Daily quiz")
        SPECIAL = "special", _("Special-topic quiz")
        CONTEST = "contest", _("Knowledge contest")

    class Selection(models.TextChoices):
        FIXED = "fixed", _("Fixed questions")
        RANDOM = "random", _("Random draw")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    selection = models.CharField(
        _("questions"), max_length=10, choices=Selection.choices, default=Selection.FIXED
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=0,
        help_text=_("0: unlimited. The daily quiz is always once a day."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, help_text=_("Percentage of the maximum score.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    show_answers = models.BooleanField(
        _("show answers after submission"),
        default=True,
        help_text=_(
            "Show correct answers and explanations after submission. For a contest, only once "
            "it has closed."
        ),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("organisation"),
        help_text=_("Only members of this organisation's subtree may take it. Empty: everyone."),
    )
    managed_by = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_quizzes",
        verbose_name=_("managed by"),
        help_text=_(
            "Trainers of this organisation and of those above it edit the quiz; trainers "
            "below it may put it in their lessons. Empty: the platform's, managed by site "
            "admins."
        ),
    )
    listed = models.BooleanField(
        _("listed on the quiz page"),
        default=False,
        help_text=_("Course exams are usually only reached from their lesson."),
    )
    placing_count = models.PositiveSmallIntegerField(
        _("places that earn points"), default=3, help_text=_("Contests: the top N earn points.")
    )
    placings_awarded_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("is_active"), FieldPanel("listed")]),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                InlinePanel("fixed_questions", label=_("Question")),
                InlinePanel("draw_rules", label=_("Draw rule")),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("placing_count")]),
                FieldRowPanel(
                    [
                        FieldPanel("shuffle_questions"),
                        FieldPanel("shuffle_options"),
                        FieldPanel("show_answers"),
                    ]
                ),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("organization"), FieldPanel("managed_by")]),
            ],
            heading=_("Who and when"),
        ),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.kind in (self.Kind.CONTEST, self.Kind.SPECIAL) and not (
            self.opens_at and self.closes_at
        ):
            errors["closes_at"] = _("Special-topic quizzes and contests need a window.")
        if self.kind == self.Kind.CONTEST and self.organization_id is None:
            errors["organization"] = _("A contest is held for an organisation.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The quiz must close after it opens.")
        if self.pass_mark > 100:
            errors["pass_mark"] = _("The pass mark is a percentage (0–100).")
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None) -> bool:
        """Whether the quiz can be started now: active and inside its window (if any)."""
        at = at or timezone.now()
        return (
            self.is_active
            and (self.opens_at is None or self.opens_at <= at)
            and (self.closes_at is None or at < self.closes_at)
        )

    def has_closed(self, at=None) -> bool:
        at = at or timezone.now()
        return self.closes_at is not None and self.closes_at <= at

    def question_count(self) -> int:
        """How many questions an attempt asks (a random draw: what its rules ask for)."""
        if self.selection == self.Selection.FIXED:
            return self.fixed_questions.values("question").distinct().count()
        return sum(rule.count for rule in self.draw_rules.all())

    def answers_visible(self, at=None) -> bool:
        """Whether answers and explanations may be shown after submission. A contest keeps
        them secret until it closes, or early finishers would hand them to the others."""
        if not self.show_answers:
            return False
        return self.kind != self.Kind.CONTEST or self.has_closed(at)


class QuizQuestion(Orderable):
    """A question of a fixed quiz."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")


class QuizDrawRule(Orderable):
    """Part of a random draw: N questions from a bank, optionally of one knowledge point and
    difficulty."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="+", verbose_name=_("bank")
    )
    tag = models.CharField(
        _("knowledge point"), max_length=100, blank=True, help_text=_("Empty: any.")
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Question.Difficulty.choices, null=True, blank=True
    )
    count = models.PositiveSmallIntegerField(_("number of questions"), default=5)

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("count")]),
        FieldRowPanel([FieldPanel("tag"), FieldPanel("difficulty")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")


class Attempt(models.Model):
    """One member's go at a quiz: the questions drawn for them in their order, the answers
    they submitted and the grade. Graded once, on the server."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("member"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    day = models.DateField(
        _("day"), null=True, blank=True, help_text=_("The day of a daily-quiz attempt.")
    )
    # [{"question": id, "options": [option ids in the order shown]}, …] in the order shown.
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(pgettext_lazy("attempt", "deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=list, blank=True)
    score = models.PositiveIntegerField(_("score"), default=0)
    max_score = models.PositiveIntegerField(_("maximum score"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    points_awarded = models.IntegerField(_("points awarded"), default=0)
    duration_seconds = models.FloatField(_("time taken (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "member", "day"],
                condition=models.Q(day__isnull=False),
                name="quizzes_daily_attempt_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["quiz", "member", "number"], name="quizzes_attempt_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "member"], name="quizzes_attempt_member_idx"),
            models.Index(
                fields=["quiz", "-score", "duration_seconds"], name="quizzes_attempt_rank_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.member} · #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def question_ids(self) -> list[int]:
        return [item["question"] for item in self.layout]


# --- study points ----------------------------------------------------------------------------


class PointRule(models.Model):
    """A way to earn study points (学习积分): points per event, a daily cap, optionally a
    weekly cap. Apps award points by the rule's code through `quizzes.points.award_points`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    points = models.PositiveSmallIntegerField(_("points per event"), default=1)
    daily_cap = models.PositiveIntegerField(_("daily cap"), default=1)
    weekly_cap = models.PositiveIntegerField(
        _("weekly cap"), null=True, blank=True, help_text=_("Empty: no weekly cap.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.weekly_cap is not None and self.weekly_cap < self.daily_cap:
            raise ValidationError({"weekly_cap": _("The weekly cap is below the daily cap.")})


class AppendOnlyError(RuntimeError):
    """A ledger entry was about to be changed or deleted; corrections are new entries."""


class PointEntry(models.Model):
    """One line of the append-only study-points ledger. Written once per idempotency key by
    `award_points`; a correction is a new (usually negative) entry pointing at the original."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="point_entries",
        verbose_name=_("member"),
    )
    rule = models.ForeignKey(
        PointRule, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rule")
    )
    points = models.IntegerField(_("points"))
    day = models.DateField(_("day"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("points ledger entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="quizzes_ledger_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+d} {self.rule}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("points ledger entries are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("points ledger entries are never deleted")

    @property
    def source_label(self) -> str:
        """What earned the points, as members and branch heads read it: the rule's name and
        what it was for (「完成一课：第一课 开天辟地」)."""
        if not self.source:
            return self.rule.name
        return _("%(rule)s: %(source)s") % {"rule": self.rule.name, "source": self.source}


class DailyRulePoints(models.Model):
    """Points a member earned from one rule on one day: what caps and "today's progress"
    read, kept in step with the ledger by `award_points`."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(PointRule, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    points = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("points of a rule on a day")
        verbose_name_plural = _("points per rule and day")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "rule", "day"], name="quizzes_daily_rule_points_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day} {self.rule_id}: {self.points}"


class PointTotal(models.Model):
    """A member's points in one period (day, week, month, year, or all time), kept in step
    with the ledger so that leaderboards read one row per member. The all-time row is also
    the lock that serialises awards to one member."""

    class Period(models.TextChoices):
        DAY = "day", _("Today")
        WEEK = "week", _("This week")
        MONTH = "month", _("This month")
        YEAR = "year", _("This year")
        ALL = "all", _("All time")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="point_totals"
    )
    period = models.CharField(max_length=5, choices=Period.choices)
    start = models.DateField()
    points = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("points total")
        verbose_name_plural = _("points totals")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "period", "start"], name="quizzes_point_total_unique"
            )
        ]
        indexes = [
            models.Index(fields=["period", "start", "-points", "member"], name="quizzes_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.period} {self.start}: {self.points}"
