"""Wagtail's user admin with the platform's account rules.

An account an admin creates gets a random initial password of its own, shown once (the same
one-download sheet as an import), instead of one the admin types and may reuse for everybody;
its first login asks for a password of the member's own. An admin who sets someone else's
password (a reset) makes them choose their own at the next login too. Ending the API tokens on
either change is the model's job (`User.save`), not this view's.
"""

from django.urls import reverse
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from .. import credentials


class AccountCreationForm(UserCreationForm):
    """Wagtail's form without the password fields: the platform picks the password."""

    password_enabled = False


class AccountEditForm(UserEditForm):
    def __init__(self, *args, **kwargs) -> None:
        self.editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)

    def save(self, commit: bool = True):
        if self.cleaned_data.get("password1") and not self.editing_self:
            self.instance.must_change_password = True
        return super().save(commit=commit)


class AccountCreateView(users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        password, encoded = credentials.new_initial_password()
        user.password = encoded
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        self.password_sheet = credentials.issue_sheet(
            [credentials.IssuedPassword(user=user, password=password)],
            by=self.request.user,
            source=user.get_username(),
            request=self.request,
        )
        return user

    def get_success_url(self) -> str:
        return reverse("accounts_admin:password_sheet", args=[self.password_sheet.pk])


class UserViewSet(users.UserViewSet):
    add_view_class = AccountCreateView

    def get_form_class(self, for_update: bool = False):
        return AccountEditForm if for_update else AccountCreationForm
