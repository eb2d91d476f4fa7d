"""Unsigned media paths of videos, captions and originals: never served (lms/urls.py mounts this
under MEDIA_URL before the catch-all media route). Players get signed paths instead
(media_pipeline/signed_urls.py)."""

from django.urls import re_path

from .views import serve

urlpatterns = [
    re_path(
        r"^(?:videos|video_originals|video_captions|live)(?:/(?P<rest>.*))?$", serve.not_served
    ),
]
