"""The site's URLs plus a bare page with the player, for browser tests of the player alone
(lessons embed it the same way)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path

from lms.urls import urlpatterns as site_urlpatterns
from media_pipeline.models import VideoAsset

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}'
    '{% include "media_pipeline/player.html" with video=video heartbeat_url=heartbeat_url '
    "renew_url=renew_url resume_position=resume_position %}{% endblock %}"
)


def player_page(request, pk: int):
    video = get_object_or_404(VideoAsset, pk=pk)
    context = {
        "video": video,
        "heartbeat_url": request.GET.get("heartbeat", ""),
        "renew_url": request.GET.get("renew", ""),
        "resume_position": float(request.GET.get("resume", 0)),
    }
    return HttpResponse(PAGE.render(context, request))


urlpatterns = [path("test-player/<int:pk>/", player_page), *site_urlpatterns]
