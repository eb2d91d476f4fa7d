from django.urls import path

from . import admin_views

app_name = "quizzes_admin"

urlpatterns = [
    path("import/", admin_views.QuestionImportView.as_view(), name="import"),
    path("import/template.xlsx", admin_views.download_template, name="import_template"),
    path("banks/<id:bank_id>/export.xlsx", admin_views.export_bank, name="export"),
    path("ledger/<id:entry_id>/correct/", admin_views.CorrectionView.as_view(), name="correct"),
]
