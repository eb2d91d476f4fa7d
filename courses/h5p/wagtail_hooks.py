"""Wagtail admin for H5P activities: upload (validated), replace, try out, download the
original, choose in lessons — each only where `courses.h5p.permissions` allows it."""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .forms import H5PPackageForm
from .models import H5PPackage
from .permissions import manageable_packages, may_manage, usable_packages


class ManagedOnlyMixin:
    """Wagtail's snippet views check the model permission only; this one asks about the
    activity itself, so one of an organisation the trainer does not cover is not found."""

    def get_object(self, *args, **kwargs):
        package = super().get_object(*args, **kwargs)
        if not may_manage(self.request.user, package):
            raise Http404
        return package


def _managed_only(view_class):
    return type(view_class.__name__, (ManagedOnlyMixin, view_class), {})


class UsableOnlyMixin:
    """The chooser offers, and accepts, only activities the trainer may put in a lesson."""

    def get_object_list(self):
        return usable_packages(self.request.user).select_related("organization")


class ChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return usable_packages(self.request.user).get(pk=pk)


class H5PChooserViewSet(chooser_views.SnippetChooserViewSet):
    choose_view_class = type("ChooseView", (UsableOnlyMixin, chooser_views.ChooseView), {})
    choose_results_view_class = type(
        "ChooseResultsView", (UsableOnlyMixin, chooser_views.ChooseResultsView), {}
    )
    chosen_view_class = ChosenView


class H5PPackageViewSet(SnippetViewSet):
    """Trainers upload packages here; "Inspect" shows the details and plays the activity."""

    model = H5PPackage
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
    icon = "form"
    menu_label = _("H5P activities")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("organization", label=_("organisation")),
        "main_library",
        "uploaded_by",
        "created_at",
    ]
    search_fields = ["title", "main_library"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_template_name = "h5p/admin/inspect.html"
    inspect_view_fields = [
        "title",
        "organization",
        "main_library",
        "pass_score_percent",
        "file_size",
        "unpacked_size",
        "file_count",
        "uploaded_by",
        "created_at",
    ]
    edit_view_class = _managed_only(snippet_views.EditView)
    delete_view_class = _managed_only(snippet_views.DeleteView)
    usage_view_class = _managed_only(snippet_views.UsageView)
    history_view_class = _managed_only(snippet_views.HistoryView)
    inspect_view_class = _managed_only(snippet_views.InspectView)
    chooser_viewset_class = H5PChooserViewSet
    edit_handler = ObjectList(
        [
            FieldPanel("file"),
            FieldPanel("title"),
            FieldPanel("organization"),
            FieldPanel("pass_score_percent"),
        ],
        base_form_class=H5PPackageForm,
    )

    def get_queryset(self, request):
        """Only the activities this trainer manages."""
        return manageable_packages(request.user).select_related("organization", "uploaded_by")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("original/<id:pk>/", admin_views.download_original, name="original"),
        ]


register_snippet(H5PPackageViewSet)
