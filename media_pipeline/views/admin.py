"""Admin pages of the video library beyond create/edit/delete: retry a failed video, preview."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import services
from ..models import VideoAsset
from ..permissions import manageable_videos


class VideoAdminMixin(WagtailAdminTemplateMixin):
    """Finds the video among those the user manages (404 otherwise)."""

    header_icon = "media"
    index_url_name = "videos:index"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.video = get_object_or_404(
            manageable_videos(request.user).select_related("organization"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.video)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": VideoAsset._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(video=self.video, **kwargs)


class RetryView(VideoAdminMixin, TemplateView):
    """Asks, then queues a failed video again (POST)."""

    page_title = _("Convert again")
    template_name = "media_pipeline/admin/retry.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if services.retry_video(self.video):
            messages.success(
                request, _("“%(title)s” is queued for conversion again.") % {"title": self.video}
            )
        else:
            messages.warning(request, _("Only a video whose conversion failed can be retried."))
        return redirect(self.index_url_name)


class PreviewView(VideoAdminMixin, TemplateView):
    """Plays the published video in the admin, with the same player members get."""

    page_title = _("Preview")
    template_name = "media_pipeline/admin/preview.html"
