"""Wagtail admin: bulk import of organisations and members, with a dry run."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.audit import record_audit

from .. import importing
from ..forms import ImportForm


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Check (dry run) or import a file; an import with any bad row writes nothing."""

    template_name = "accounts/admin/import.html"
    form_class = ImportForm
    page_title = gettext_lazy("Bulk import")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        _require_admin(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        dry_run = "dry_run" in self.request.POST
        if dry_run:
            check = importing.check_members if kind == "members" else importing.check_organizations
            report = check(upload, upload.name)
        elif kind == "members":
            report = importing.import_members(upload, upload.name, by=self.request.user)
        else:
            report = importing.import_organizations(upload, upload.name, by=self.request.user)

        if report.applied:
            record_audit(
                self.request,
                f"import.{kind}",
                target=upload.name,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
            )
            messages.success(
                self.request,
                _("Imported %(rows)d rows: %(created)d created, %(updated)d updated.")
                % {"rows": report.rows, "created": report.created, "updated": report.updated},
            )
        elif not report.ok:
            messages.error(
                self.request,
                _(
                    "%(count)d problems found; nothing was imported. "
                    "Fix the rows below and try again."
                )
                % {"count": len(report.errors)},
            )
        return self.render_to_response(
            self.get_context_data(form=form, report=report, dry_run=dry_run)
        )


def download_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    _require_admin(request)
    if kind not in importing.KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(importing.build_template(kind, fmt), content_type=content_type)
    filename = f"{kind}-template.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
