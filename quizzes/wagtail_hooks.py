"""Wagtail admin: question banks, questions and quizzes (trainers), point rules and the points
ledger (site admins), question import/export."""

from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .forms import PointRuleForm, QuestionForm, QuizForm
from .models import PointEntry, PointRule, Question, QuestionBank, Quiz

MENU_HOOK = "register_quizzes_menu_item"


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    menu_order = 10
    search_fields = ["name"]
    search_backend_name = None

    @property
    def list_display(self):
        return [
            "name",
            Column("question_count", label=_("Questions")),
            Column("export", label=_("Export"), accessor=_export_link),
            "created_at",
        ]

    def get_queryset(self, request):
        return QuestionBank.objects.annotate(question_count=Count("questions"))


def _export_link(bank: QuestionBank):
    return format_html(
        '<a class="button button-small button-secondary" href="{}">.xlsx</a>',
        reverse("quizzes_admin:export", args=[bank.pk]),
    )


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    menu_order = 20
    list_display = ["__str__", "bank", "type", "difficulty"]
    list_filter = ["bank", "type", "difficulty"]
    search_fields = ["stem"]
    search_backend_name = None
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes and exams")
    menu_order = 30
    list_display = ["title", "kind", "selection", "organization", "opens_at", "closes_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizForm)


class PointRuleViewSet(SnippetViewSet):
    model = PointRule
    icon = "pick"
    menu_label = _("Point rules")
    menu_order = 40
    list_display = ["name", "code", "points", "daily_cap", "weekly_cap", "enabled"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("points"), FieldPanel("daily_cap"), FieldPanel("weekly_cap")]
            ),
            FieldRowPanel([FieldPanel("enabled"), FieldPanel("sort_order")]),
        ],
        base_form_class=PointRuleForm,
    )


class LedgerPermissionPolicy(ModelPermissionPolicy):
    """The ledger is append-only: site admins read it and correct entries with new ones;
    nobody adds, edits or deletes through the admin."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.is_active and user.is_superuser


register_permission_policy(PointEntry, LedgerPermissionPolicy(PointEntry))


class PointEntryViewSet(ModelViewSet):
    model = PointEntry
    icon = "list-ul"
    menu_label = _("Points ledger")
    menu_order = 50
    add_to_admin_menu = False
    # Ledger entries refer to nothing editors need "usages" of; indexing them would cost
    # every award five queries.
    add_to_reference_index = False
    list_filter = ["rule", "day"]
    search_fields = ["member__username", "member__profile__real_name", "source"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["-created_at", "-pk"]
    # The policy refuses add and edit; the form only has to exist for the viewset.
    form_fields = ["note"]

    @property
    def list_display(self):
        return [
            "member",
            "rule",
            "points",
            "day",
            "source",
            "created_at",
            Column("correct", label=_("Correct"), accessor=_correct_link),
        ]


def _correct_link(entry: PointEntry):
    return format_html(
        '<a class="button button-small button-secondary" href="{}">{}</a>',
        reverse("quizzes_admin:correct", args=[entry.pk]),
        _("Correct"),
    )


class QuizzesGroup(SnippetViewSetGroup):
    menu_label = _("Quizzes and points")
    menu_icon = "tasks"
    menu_order = 220
    items = (QuestionBankViewSet, QuestionViewSet, QuizViewSet, PointRuleViewSet)
    submenu_hook = MENU_HOOK


@hooks.register("register_admin_viewset")
def register_quizzes_admin():
    return QuizzesGroup()


@hooks.register("register_admin_viewset")
def register_ledger_admin():
    return PointEntryViewSet("points_ledger")


@hooks.register("register_admin_urls")
def register_quizzes_admin_urls():
    return [path("quizzes/", include(admin_urls, namespace="quizzes_admin"))]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with a permission (or site admins for None)."""

    def __init__(self, *args, permission: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        if self.permission is None:
            return request.user.is_superuser
        return request.user.has_perm(self.permission)


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import and export questions"),
        reverse("quizzes_admin:import"),
        icon_name="download",
        order=60,
        permission="quizzes.add_question",
    )


@hooks.register(MENU_HOOK)
def register_ledger_menu_item():
    return PermissionMenuItem(
        _("Points ledger"),
        reverse("points_ledger:index"),
        icon_name="list-ul",
        order=70,
    )
