"""Admin forms: the checks a question, a quiz or a point rule must pass before it is saved,
and the question import form."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from .models import MAX_OPTIONS, Question, QuestionBank, Quiz


def _kept_forms(formset) -> list:
    """The inline forms that will be saved (filled in and not marked for deletion)."""
    formset.is_valid()  # populates cleaned_data; errors are reported by the formset itself
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not formset._should_delete_form(form)
    ]


class QuestionForm(WagtailAdminModelForm):
    """A choice question needs at least two options and the right number of correct ones."""

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("type")
        options = _kept_forms(self.formsets["options"])
        correct = sum(1 for form in options if form.cleaned_data.get("is_correct"))
        if qtype in Question.CHOICE_TYPES:
            if len(options) < 2:
                raise forms.ValidationError(_("A choice question needs at least two options."))
            if len(options) > MAX_OPTIONS:
                raise forms.ValidationError(
                    _("A question has at most %(count)d options.") % {"count": MAX_OPTIONS}
                )
            if qtype == Question.Type.MULTIPLE and correct < 1:
                raise forms.ValidationError(_("Mark at least one option as correct."))
            if qtype != Question.Type.MULTIPLE and correct != 1:
                raise forms.ValidationError(_("Mark exactly one option as correct."))
        elif qtype == Question.Type.FILL_BLANK and options:
            raise forms.ValidationError(
                _("A fill-in-the-blank question has accepted answers, not options.")
            )
        return cleaned


class QuizForm(WagtailAdminModelForm):
    """A fixed quiz lists its questions; a random one has draw rules."""

    def clean(self):
        cleaned = super().clean()
        selection = cleaned.get("selection")
        if selection == Quiz.Selection.FIXED and not _kept_forms(self.formsets["fixed_questions"]):
            raise forms.ValidationError(_("Add the questions of this quiz."))
        if selection == Quiz.Selection.RANDOM and not _kept_forms(self.formsets["draw_rules"]):
            raise forms.ValidationError(_("Add at least one draw rule."))
        return cleaned


class PointRuleForm(WagtailAdminModelForm):
    """Apps award points by a rule's code, so an existing rule's code cannot change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Apps award points by this code; it cannot change.")


class QuestionImportForm(forms.Form):
    """Upload a question file into a bank (an existing one, or a new one by name)."""

    bank = forms.ModelChoiceField(
        label=gettext_lazy("Question bank"),
        queryset=QuestionBank.objects.all(),
        required=False,
        empty_label=gettext_lazy("— a new bank —"),
    )
    new_bank = forms.CharField(
        label=gettext_lazy("Name of the new bank"), max_length=100, required=False
    )
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy(".xlsx, as in the template")
    )

    def clean(self):
        cleaned = super().clean()
        bank, name = cleaned.get("bank"), (cleaned.get("new_bank") or "").strip()
        if bank is None and not name:
            raise forms.ValidationError(_("Choose a bank or name a new one."))
        if bank is None and QuestionBank.objects.filter(name=name).exists():
            self.add_error("new_bank", _("A bank with this name exists; choose it above."))
        cleaned["new_bank"] = name
        return cleaned
