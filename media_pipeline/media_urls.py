"""Media URLs with access rules, mounted under MEDIA_URL before the catch-all media route
(lms/urls.py) when the app serves media itself."""

from django.urls import path, re_path

from .views import serve

urlpatterns = [
    path(
        "videos/<id:video_id>/<slug:version>/<path:name>",
        serve.published_file,
        name="video_file",
    ),
    path("video_captions/<path:name>", serve.caption_file, name="video_caption_file"),
    re_path(r"^(?:videos|video_originals|video_captions)(?:/(?P<rest>.*))?$", serve.not_served),
]
