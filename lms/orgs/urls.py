from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("<id:org_id>/members/", views.member_list, name="member_list"),
    path("members/<id:user_id>/", views.member_detail, name="member_detail"),
    path("members/<id:user_id>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<id:user_id>/reset-link/", views.member_reset_link, name="member_reset_link"),
]
