"""The Wagtail chooser for lecture videos (used by `VideoChooserBlock` in lesson bodies)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from ..permissions import manageable_videos


class VideoChooseViewMixin:
    """Lists only the videos the trainer manages, with their transcoding state."""

    def get_object_list(self):
        return manageable_videos(self.request.user).select_related("organization")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("organization", label=_("Organisation")),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("created_at", label=_("Uploaded at")),
        ]


class VideoChooseView(VideoChooseViewMixin, chooser_views.ChooseView):
    pass


class VideoChooseResultsView(VideoChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class VideoChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return manageable_videos(self.request.user).get(pk=pk)


class VideoChooserViewSet(ChooserViewSet):
    model = "media_pipeline.VideoAsset"
    icon = "media"
    choose_one_text = _("Choose a lecture video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit video")
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    chosen_view_class = VideoChosenView


video_chooser_viewset = VideoChooserViewSet("video_chooser", url_prefix="videos/chooser")
