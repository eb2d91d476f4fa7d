"""Media URLs of documents, mounted under MEDIA_URL before the catch-all media route
(lms/urls.py) when the app serves media itself: never served from there, only by Wagtail's
document view, which checks who may read them (`courses.documents.wagtail_hooks`)."""

from django.urls import re_path

from media_pipeline.views.serve import not_served

urlpatterns = [re_path(r"^documents(?:/(?P<rest>.*))?$", not_served)]
