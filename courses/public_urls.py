"""Public URLs (no login): checking a certificate by its verification code."""

from django.urls import path

from . import views

app_name = "courses_public"

urlpatterns = [
    path("", views.certificate_verify, name="certificate_verify_form"),
    path("<str:code>/", views.certificate_verify, name="certificate_verify"),
]
