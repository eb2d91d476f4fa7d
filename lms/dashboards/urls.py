from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<id:org_id>/", views.organization, name="organization"),
    path("orgs/<id:org_id>/members/", views.members, name="members"),
    path("orgs/<id:org_id>/weeks/count/", views.count_weeks, name="count_weeks"),
    path("orgs/<id:org_id>/courses/<id:course_id>/", views.course, name="course"),
    path("orgs/<id:org_id>/courses/<id:course_id>/remind/", views.remind, name="remind"),
    path("orgs/<id:org_id>/exports/", views.export_create, name="export_create"),
    path("members/<id:user_id>/", views.member_record, name="member_record"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<id:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<id:export_id>/status/", views.export_status, name="export_status"),
    path("exports/<id:export_id>/download/", views.export_download, name="export_download"),
]
