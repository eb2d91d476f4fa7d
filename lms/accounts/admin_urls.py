from django.urls import path

from .views import admin_import, admin_passwords

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_import.ImportView.as_view(), name="import"),
    path("template/<str:kind>.<str:fmt>", admin_import.download_template, name="import_template"),
    path(
        "passwords/<uuid:sheet_id>/",
        admin_passwords.PasswordSheetView.as_view(),
        name="password_sheet",
    ),
]
