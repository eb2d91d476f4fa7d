"""Wagtail admin for lecture videos: the library (upload, progress, retry, preview, captions)
and the chooser used by lesson bodies."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton

from .forms import VideoAssetForm
from .models import VideoAsset
from .permissions import manageable_videos
from .views import admin as admin_views
from .views.chooser import video_chooser_viewset


class VideoStatusColumn(Column):
    """State with a live progress bar while a video is queued or converting."""

    cell_template_name = "media_pipeline/admin/status_cell.html"


class VideoStatusPanel(Panel):
    """State, progress and (for a failure) the reason, on the edit page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media_pipeline/admin/status_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            return {**super().get_context_data(parent_context), "video": self.instance}


class VideoIndexView(IndexView):
    def get_base_queryset(self):
        return manageable_videos(self.request.user).select_related("organization", "uploaded_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_ready:
            buttons.insert(
                0,
                ListingButton(
                    _("Preview"),
                    url=reverse("videos:preview", args=[instance.pk]),
                    icon_name="view",
                    priority=5,
                ),
            )
        if instance.status == VideoAsset.Status.FAILED:
            buttons.insert(
                0,
                ListingButton(
                    _("Convert again"),
                    url=reverse("videos:retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                ),
            )
        return buttons


class ScopedQuerysetMixin:
    def get_queryset(self):
        return manageable_videos(self.request.user)


class VideoEditView(ScopedQuerysetMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.is_ready:
            buttons.append(
                Button(
                    _("Preview"),
                    url=reverse("videos:preview", args=[self.object.pk]),
                    icon_name="view",
                    priority=5,
                )
            )
        if self.object.status == VideoAsset.Status.FAILED:
            buttons.append(
                Button(
                    _("Convert again"),
                    url=reverse("videos:retry", args=[self.object.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class VideoDeleteView(ScopedQuerysetMixin, DeleteView):
    pass


class VideoViewSet(ModelViewSet):
    """The trainer's video library, scoped to the organisations their role covers."""

    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404

    model = VideoAsset
    icon = "media"
    menu_label = _("Lecture videos")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = VideoIndexView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title"]
    list_filter = ["status"]
    list_display = [
        "title",
        "organization",
        VideoStatusColumn("status", label=_("Status")),
        Column("duration", label=_("Duration"), accessor=lambda v: _duration(v.duration)),
        "uploaded_by",
        "created_at",
    ]
    edit_handler = ObjectList(
        [
            VideoStatusPanel(heading=_("Conversion")),
            FieldPanel("title"),
            FieldPanel("organization"),
            FieldPanel("original"),
            InlinePanel("captions", label=_("Captions"), heading=_("Captions")),
        ],
        base_form_class=VideoAssetForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<id:pk>/retry/", admin_views.RetryView.as_view(), name="retry"),
            path("<id:pk>/preview/", admin_views.PreviewView.as_view(), name="preview"),
        ]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@hooks.register("register_admin_viewset")
def register_video_library():
    return VideoViewSet("videos")


@hooks.register("register_admin_viewset")
def register_video_chooser():
    return video_chooser_viewset


@hooks.register("insert_global_admin_js")
def video_progress_js():
    # Updates the progress bars of the video library while videos convert; no-op elsewhere.
    return format_html('<script src="{}" defer></script>', static("media_pipeline/admin.js"))
