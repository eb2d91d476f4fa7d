"""Wagtail admin: course topics as snippets (trainers and reviewers edit them), and the hooks
that keep trainers and reviewers to the courses of their organisations (permissions.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CatalogPage, CoursePage, CourseTopic


class CourseTopicViewSet(SnippetViewSet):
    model = CourseTopic
    icon = "tag"
    menu_label = _("Course topics")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


register_snippet(CourseTopicViewSet)


# --- courses of the user's organisations only --------------------------------------------


def _refused(request, page):
    """Back to the page's place in the explorer, saying why."""
    messages.error(
        request,
        gettext(
            "“%(title)s” belongs to a course managed by an organisation your trainer or "
            "reviewer role does not cover."
        )
        % {"title": page.title},
    )
    parent = page.get_parent()
    return redirect("wagtailadmin_explore", parent.pk if parent else page.pk)


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_copy_page")
def refuse_other_organisations_courses(request, page):
    if not CoursePage.may_work_on(request.user, page):
        return _refused(request, page)
    return None


@hooks.register("before_move_page")
def refuse_moving_other_organisations_courses(request, page, destination):
    for place in (page, destination):
        if not CoursePage.may_work_on(request.user, place):
            return _refused(request, place)
    return None


@hooks.register("before_create_page")
def refuse_lessons_in_other_organisations_courses(request, parent_page, page_class):
    if not CoursePage.may_work_on(request.user, parent_page):
        return _refused(request, parent_page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_other_organisations_courses(request, action_type, objects, action):
    if action_type != "page":
        return None
    for page in objects:
        if not CoursePage.may_work_on(request.user, page):
            return _refused(request, page)
    return None


@hooks.register("construct_explorer_page_queryset")
def hide_other_organisations_courses(parent_page, pages, request):
    """A catalogue lists only the courses the user may work on."""
    if parent_page.specific_class is CatalogPage:
        pages = pages.exclude(pk__in=CoursePage.objects.unmanaged_by(request.user).values("pk"))
    return pages
