"""Public (session-less) URLs of the H5P player; the prefix /h5p/p/ is login-exempt."""

from django.urls import re_path

from . import views

app_name = "h5p"

CONTENT_KEY = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    re_path(rf"^p/{CONTENT_KEY}/$", views.frame, name="frame"),
    re_path(rf"^p/{CONTENT_KEY}/files/(?P<path>.*)$", views.package_file, name="file"),
]
