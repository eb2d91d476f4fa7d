"""Wagtail admin for H5P activities: upload (validated), replace, try out, choose in lessons."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import H5PPackageForm
from .models import H5PPackage


class H5PPackageViewSet(SnippetViewSet):
    """Trainers upload packages here; "Inspect" shows the details and plays the activity."""

    model = H5PPackage
    icon = "form"
    menu_label = _("H5P activities")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "main_library", "uploaded_by", "created_at"]
    search_fields = ["title", "main_library"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_template_name = "h5p/admin/inspect.html"
    inspect_view_fields = [
        "title",
        "main_library",
        "pass_score_percent",
        "file_size",
        "unpacked_size",
        "file_count",
        "uploaded_by",
        "created_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("file"), FieldPanel("title"), FieldPanel("pass_score_percent")],
        base_form_class=H5PPackageForm,
    )


register_snippet(H5PPackageViewSet)
