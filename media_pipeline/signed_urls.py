"""The signed media paths (media_pipeline/delivery.py), served by the app when SERVE_MEDIA is on;
mounted at MEDIA_SIGNED_URL (lms/urls.py). At scale nginx answers the same paths itself."""

from django.urls import re_path

from .views import serve

urlpatterns = [
    re_path(
        r"^(?P<expires>\d{1,12})/(?P<signature>[0-9A-Za-z_-]{22})/(?P<path>.+)$",
        serve.signed_file,
        name="signed_media",
    ),
]
