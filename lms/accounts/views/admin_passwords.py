"""Wagtail admin: the one download of the initial passwords an admin issued."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import credentials
from ..models import InitialPasswordSheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PasswordSheetView(WagtailAdminTemplateMixin, View):
    """GET: what the sheet holds, and a button; POST: the .xlsx, once (410 afterwards). Only
    the admin who issued the sheet finds it. A POST, so no link preview or prefetch spends it."""

    template_name = "accounts/admin/password_sheet.html"
    page_title = gettext_lazy("Initial passwords")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, sheet_id):
        sheet = credentials.sheet_for(request.user, sheet_id)
        if sheet is None:
            raise Http404
        return self.render_to_response(
            self.get_context_data(sheet=sheet, expired=credentials.expired(sheet))
        )

    def post(self, request, sheet_id):
        try:
            sheet, workbook = credentials.take_sheet(request.user, sheet_id, request=request)
        except InitialPasswordSheet.DoesNotExist:
            raise Http404 from None
        except credentials.SheetRefused as refusal:
            response = self.render_to_response(self.get_context_data(refusal=str(refusal)))
            response.status_code = 410
            return response
        response = HttpResponse(workbook, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="initial-passwords-{sheet.created_at:%Y%m%d-%H%M}.xlsx"'
        )
        response["Cache-Control"] = "no-store"
        return response
