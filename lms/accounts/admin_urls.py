from django.urls import path

from .views import admin_import

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_import.ImportView.as_view(), name="import"),
    path("template/<str:kind>.<str:fmt>", admin_import.download_template, name="import_template"),
]
