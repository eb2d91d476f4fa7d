"""Wagtail admin: question banks, questions and quizzes (trainers), point rules and the points
ledger (site admins), question import/export."""

import django_filters
from django.db.models import Count
from django.http import Http404
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .forms import PointRuleForm, QuestionBankForm, QuestionForm, QuizForm
from .models import PointEntry, PointRule, Question, QuestionBank, Quiz
from .permissions import (
    manageable_banks,
    manageable_questions,
    manageable_quizzes,
    may_author,
    usable_banks,
    usable_questions,
    usable_quizzes,
)

MENU_HOOK = "register_quizzes_menu_item"


# Choosers list what the trainer may use: banks, questions and quizzes of their
# organisations, of those above them and of the platform. Saving a quiz checks the same rule
# for its questions and banks (see forms.py).


def _chooser_viewset(name: str, objects) -> type[SnippetChooserViewSet]:
    """A snippet chooser that lists `objects(user)` only."""

    class Scoped:
        def get_object_list(self):
            return objects(self.request.user)

    return type(
        f"{name}ChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": type(f"{name}ChooseView", (Scoped, ChooseView), {}),
            "choose_results_view_class": type(
                f"{name}ChooseResultsView", (Scoped, ChooseResultsView), {}
            ),
        },
    )


class InstanceScopedMixin:
    """Wagtail's snippet edit, delete, usage and history views check the model permission
    only; this one asks the policy about the object itself, so a bank, question or quiz of an
    organisation the trainer does not cover is not found."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(type(instance))
        if not policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise Http404
        return instance


def _scoped(view_class):
    return type(view_class.__name__, (InstanceScopedMixin, view_class), {})


class OrganizationScopedViewSet(SnippetViewSet):
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)


class QuestionBankViewSet(OrganizationScopedViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    menu_order = 10
    search_fields = ["name"]
    search_backend_name = None
    chooser_viewset_class = _chooser_viewset("Bank", usable_banks)
    edit_handler = ObjectList(QuestionBank.panels, base_form_class=QuestionBankForm)

    @property
    def list_display(self):
        return [
            "name",
            "organization",
            Column("question_count", label=_("Questions")),
            Column("export", label=_("Export"), accessor=_export_link),
            "created_at",
        ]

    def get_queryset(self, request):
        """Only the banks this trainer manages (the policy refuses the others' pages)."""
        return (
            manageable_banks(request.user)
            .select_related("organization")
            .annotate(question_count=Count("questions"))
        )


def _export_link(bank: QuestionBank):
    return format_html(
        '<a class="button button-small button-secondary" href="{}">.xlsx</a>',
        reverse("quizzes_admin:export", args=[bank.pk]),
    )


class QuestionFilterSet(WagtailFilterSet):
    """The bank filter offers only the banks this trainer manages."""

    bank = django_filters.ModelChoiceFilter(
        label=_("Question bank"), queryset=lambda request: manageable_banks(request.user)
    )

    class Meta:
        model = Question
        fields = ["bank", "type", "difficulty"]


class QuestionViewSet(OrganizationScopedViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    menu_order = 20
    list_display = ["__str__", "bank", "type", "difficulty"]
    filterset_class = QuestionFilterSet
    search_fields = ["stem"]
    search_backend_name = None
    chooser_viewset_class = _chooser_viewset(
        "Question", lambda user: usable_questions(user).select_related("bank")
    )
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)

    def get_queryset(self, request):
        return manageable_questions(request.user).select_related("bank")


class QuizViewSet(OrganizationScopedViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes and exams")
    menu_order = 30
    list_display = [
        "title",
        "kind",
        "selection",
        "organization",
        "managed_by",
        "opens_at",
        "closes_at",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]
    search_backend_name = None
    chooser_viewset_class = _chooser_viewset("Quiz", usable_quizzes)
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizForm)

    def get_queryset(self, request):
        return manageable_quizzes(request.user).select_related("organization", "managed_by")


class PointRuleViewSet(SnippetViewSet):
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
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
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
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


class ShownToMenuItem(MenuItem):
    """A menu item shown only to the users a check lets in."""

    def __init__(self, *args, shown_to, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request) -> bool:
        return self.shown_to(request.user)


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return ShownToMenuItem(
        _("Import and export questions"),
        reverse("quizzes_admin:import"),
        icon_name="download",
        order=60,
        shown_to=may_author,
    )


@hooks.register(MENU_HOOK)
def register_ledger_menu_item():
    return ShownToMenuItem(
        _("Points ledger"),
        reverse("points_ledger:index"),
        icon_name="list-ul",
        order=70,
        shown_to=lambda user: user.is_active and user.is_superuser,
    )
