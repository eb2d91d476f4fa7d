"""Member pages outside the page tree (/learning/…) and the public certificate check."""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<id:course_id>/enroll/", views.enroll, name="enroll"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("required/", views.required_courses, name="required_courses"),
    path(
        "required/<id:assignment_id>/delete/",
        views.required_course_delete,
        name="required_course_delete",
    ),
]
