"""Admin forms: the checks a bank, a question, a quiz or a point rule must pass before it is
saved, and the question import form. Banks and questions offered are those the trainer may
use (`quizzes.permissions`), so a forged choice is refused like any invalid one."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lms.orgs.forms import limit_audience
from lms.orgs.models import PartyOrganization

from .models import MAX_OPTIONS, Question, QuestionBank, Quiz
from .permissions import (
    TRAINER_ROLES,
    authoring_organizations,
    default_owner,
    manageable_banks,
    usable_banks,
    usable_questions,
)


def _kept_forms(formset) -> list:
    """The inline forms that will be saved (filled in and not marked for deletion)."""
    formset.is_valid()  # populates cleaned_data; errors are reported by the formset itself
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not formset._should_delete_form(form)
    ]


def _limit_organization(field, user) -> None:
    """A trainer puts a bank or a quiz in an organisation their trainer role covers (one is
    required); a site admin may leave it empty for one of the whole platform."""
    if user is None or user.is_superuser:
        return
    field.queryset = authoring_organizations(user).order_by("path")
    field.required = True
    field.error_messages["invalid_choice"] = _("Choose an organisation your trainer role covers.")


class OwnedByOrganizationForm(WagtailAdminModelForm):
    """A bank or quiz belongs to an organisation the trainer covers, by default the widest."""

    owner_field = "organization"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_organization(self.fields[self.owner_field], self.for_user)
        new = not self.instance.pk and self.initial.get(self.owner_field) is None
        if self.for_user is not None and new:
            self.initial[self.owner_field] = default_owner(self.for_user)


class QuestionBankForm(OwnedByOrganizationForm):
    owner_field = "organization"


class QuestionForm(WagtailAdminModelForm):
    """A choice question needs at least two options and the right number of correct ones; it
    goes into a bank the trainer manages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            field = self.fields["bank"]
            field.queryset = manageable_banks(self.for_user)
            field.error_messages["invalid_choice"] = _(
                "This bank belongs to an organisation your trainer role does not cover."
            )

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


class QuizForm(OwnedByOrganizationForm):
    """A fixed quiz lists its questions; a random one has draw rules; both from banks the
    trainer may use. It is managed by one of the trainer's organisations, and taken by
    members of an organisation inside their trainer roles (every kind: daily, special-topic,
    contest, course exam)."""

    owner_field = "managed_by"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        audience = self.fields["organization"]
        limit_audience(audience, self.for_user, TRAINER_ROLES)
        if audience.required and not self.instance.pk and not self.initial.get("organization"):
            self.initial["organization"] = default_owner(self.for_user)
        message = _("This question bank is not open to your organisations.")
        scoped = (
            ("fixed_questions", "question", usable_questions(self.for_user)),
            ("draw_rules", "bank", usable_banks(self.for_user)),
        )
        for formset, name, queryset in scoped:
            for form in self.formsets[formset].forms:
                form.fields[name].queryset = queryset
                form.fields[name].error_messages["invalid_choice"] = message

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
    """Upload a question file into a bank the user manages (an existing one, or a new one by
    name in one of their organisations)."""

    bank = forms.ModelChoiceField(
        label=gettext_lazy("Question bank"),
        queryset=QuestionBank.objects.none(),
        required=False,
        empty_label=gettext_lazy("— a new bank —"),
    )
    new_bank = forms.CharField(
        label=gettext_lazy("Name of the new bank"), max_length=100, required=False
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation of the new bank"),
        queryset=PartyOrganization.objects.order_by("path"),
        required=False,
        help_text=gettext_lazy("Empty: a bank of the whole platform (site admins only)."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy(".xlsx, as in the template")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = manageable_banks(user)
        self.fields["bank"].error_messages["invalid_choice"] = _(
            "This bank belongs to an organisation your trainer role does not cover."
        )
        organization = self.fields["organization"]
        _limit_organization(organization, user)
        organization.required = False  # only a new bank needs one
        organization.initial = default_owner(user)
        if not user.is_superuser:
            organization.help_text = ""
        self.user = user

    def clean(self):
        cleaned = super().clean()
        bank, name = cleaned.get("bank"), (cleaned.get("new_bank") or "").strip()
        if bank is None and not name:
            raise forms.ValidationError(_("Choose a bank or name a new one."))
        if bank is None and QuestionBank.objects.filter(name=name).exists():
            self.add_error("new_bank", _("A bank with this name exists; choose it above."))
        if bank is None and cleaned.get("organization") is None and not self.user.is_superuser:
            self.add_error("organization", _("Choose the organisation of the new bank."))
        cleaned["new_bank"] = name
        return cleaned
