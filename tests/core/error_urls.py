"""The site's URLs plus two views that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from lms.urls import handler403, handler404, handler500
from lms.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-refuse/", refuse), path("test-fail/", fail), *site_urlpatterns]
