"""Public (session-less) URLs of the H5P player; the prefix /h5p/p/ is login-exempt. Each
carries a play grant (`courses.h5p.grants`): payload, timestamp and signature."""

from django.urls import re_path

from . import views

app_name = "h5p"

GRANT = r"(?P<grant>[A-Za-z0-9_-]{10,200}:[A-Za-z0-9]{1,20}:[A-Za-z0-9_-]{20,100})"

urlpatterns = [
    re_path(rf"^p/{GRANT}/$", views.frame, name="frame"),
    re_path(rf"^p/{GRANT}/files/(?P<path>.*)$", views.package_file, name="file"),
]
