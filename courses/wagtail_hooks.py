"""Wagtail admin: course topics as snippets (trainers and reviewers edit them)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CourseTopic


class CourseTopicViewSet(SnippetViewSet):
    model = CourseTopic
    icon = "tag"
    menu_label = _("Course topics")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


register_snippet(CourseTopicViewSet)
