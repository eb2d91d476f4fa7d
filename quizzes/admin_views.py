"""Wagtail admin views of the quizzes app: question import (dry run, import), the template,
bank export, and corrections to the points ledger."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.audit import record_audit

from . import importing, points
from .forms import QuestionImportForm
from .models import PointEntry
from .permissions import may_author, usable_banks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QuestionImportView(WagtailAdminTemplateMixin, FormView):
    """Check (dry run) or import a question file; an import with any bad row writes nothing,
    duplicates are skipped and listed."""

    template_name = "quizzes/admin/import.html"
    form_class = QuestionImportForm
    page_title = gettext_lazy("Import and export questions")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        _require_author(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["banks"] = usable_banks(self.request.user).order_by("name")
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        bank, new_bank = form.cleaned_data["bank"], form.cleaned_data["new_bank"]
        dry_run = "dry_run" in self.request.POST
        run = importing.check_questions if dry_run else importing.import_questions
        report = run(
            upload,
            upload.name,
            bank=bank,
            new_bank=new_bank,
            organization=form.cleaned_data["organization"],
        )
        if report.applied:
            record_audit(
                self.request,
                "import.questions",
                target=report.bank_name,
                rows=report.rows,
                created=report.created,
                duplicates=len(report.duplicates),
            )
            messages.success(
                self.request,
                _(
                    "Imported %(created)d questions into %(bank)s; %(duplicates)d duplicates "
                    "skipped."
                )
                % {
                    "created": report.created,
                    "bank": report.bank_name,
                    "duplicates": len(report.duplicates),
                },
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


def _require_author(request: HttpRequest) -> None:
    """Trainers (and site admins) import and export questions, in their own banks."""
    if not may_author(request.user):
        raise PermissionDenied


def download_template(request: HttpRequest) -> HttpResponse:
    _require_author(request)
    response = HttpResponse(importing.build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="questions-template.xlsx"'
    return response


def export_bank(request: HttpRequest, bank_id: int) -> HttpResponse:
    _require_author(request)
    bank = get_object_or_404(usable_banks(request.user), pk=bank_id)
    record_audit(request, "export.questions", target=bank.name)
    response = HttpResponse(importing.export_bank(bank), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="question-bank-{bank.pk}.xlsx"'
    return response


class CorrectionForm(forms.Form):
    points = forms.IntegerField(
        label=gettext_lazy("Points"),
        help_text=gettext_lazy("Negative to take points back, e.g. -5."),
    )
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def clean_points(self):
        value = self.cleaned_data["points"]
        if value == 0:
            raise forms.ValidationError(_("A correction of 0 points changes nothing."))
        return value


class CorrectionView(WagtailAdminTemplateMixin, FormView):
    """Correct a ledger entry with a new entry (the ledger is never edited). Site admins only."""

    template_name = "quizzes/admin/correct.html"
    form_class = CorrectionForm
    page_title = gettext_lazy("Correct points")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        self.entry = get_object_or_404(
            PointEntry.objects.select_related("member", "rule"), pk=kwargs["entry_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = self.entry
        context["corrections"] = self.entry.corrections.select_related("created_by")
        return context

    def form_valid(self, form):
        try:
            correction = points.correct_points(
                self.entry,
                form.cleaned_data["points"],
                note=form.cleaned_data["note"],
                by=self.request.user,
            )
        except ValueError:
            form.add_error("points", _("A correction cannot take back more than the entry gave."))
            return self.form_invalid(form)
        record_audit(
            self.request,
            "points.correct",
            target=self.entry.member.username,
            organization=self.entry.member.organization,
            entry=self.entry.pk,
            points=correction.points,
        )
        messages.success(self.request, _("The correction has been recorded."))
        return redirect("quizzes_admin:correct", entry_id=self.entry.pk)
