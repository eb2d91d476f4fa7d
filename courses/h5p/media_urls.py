"""Media URLs of H5P, mounted under MEDIA_URL before the catch-all media route (lms/urls.py)
when the app serves media itself: the stored originals are never served from there (they hold
every answer; trainers who manage an activity download it from the admin)."""

from django.urls import re_path

from media_pipeline.views.serve import not_served

urlpatterns = [re_path(r"^h5p(?:/(?P<rest>.*))?$", not_served)]
