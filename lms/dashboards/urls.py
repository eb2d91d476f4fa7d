from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:org_id>/", views.organization, name="organization"),
    path("orgs/<int:org_id>/members/", views.members, name="members"),
    path("orgs/<int:org_id>/weeks/count/", views.count_weeks, name="count_weeks"),
    path("orgs/<int:org_id>/courses/<int:course_id>/", views.course, name="course"),
    path("orgs/<int:org_id>/courses/<int:course_id>/remind/", views.remind, name="remind"),
    path("orgs/<int:org_id>/exports/", views.export_create, name="export_create"),
    path("members/<int:user_id>/", views.member_record, name="member_record"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/status/", views.export_status, name="export_status"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
]
