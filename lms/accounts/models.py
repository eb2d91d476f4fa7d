"""Users, the member record a party organisation keeps about each of them, and the
credentials the platform hands out: API tokens and the sheets of initial passwords."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from . import names

mobile_phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland China mobile number.")
)


def _ends_api_tokens(changes: dict) -> bool:
    """Whether an update of these fields must end the API tokens of the users it touches."""
    return "password" in changes or ("is_active" in changes and changes["is_active"] is not True)


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """A bulk change of password or a bulk deactivation (Wagtail's "set active state"
        action, `bulk_update`) ends the API tokens of those users, as `User.save` does."""
        if not _ends_api_tokens(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            # Before the update: the filter may no longer match the users afterwards.
            ApiToken.objects.filter(user__in=self.values("pk")).delete()
            return super().update(**kwargs)


if TYPE_CHECKING:
    # mypy cannot take the class from_queryset() makes as a base (a dynamic base class). As
    # it sees it: Django's user manager; UserQuerySet adds no method, only what update does.
    _AccountManagerBase = UserManager["User"]
else:
    _AccountManagerBase = UserManager.from_queryset(UserQuerySet)


# A class of its own, not the generated one: migrations name the user model's manager.
class AccountManager(_AccountManagerBase):
    """Django's user manager on `UserQuerySet`."""


# Wagtail ships no types: the plugin cannot find the manager of its document model for the
# reverse relation of `uploaded_by_user` (coursedocument_set).
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """The platform's user (custom from the first migration, so it can grow without pain).

    Whatever changes a user's password (their own change, an admin's reset, a management
    command) or deactivates them ends every API token they hold, here in `save` and in
    `UserQuerySet.update`, so no view has to remember it.
    """

    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for imported accounts: the first login asks for a new password."),
    )

    objects: ClassVar[AccountManager] = AccountManager()
    # AbstractBaseUser keeps the raw password here from set_password() until the save; the
    # stubs leave it out.
    _password: str | None

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # Django takes lazy strings here; the stubs' AbstractUser.Meta declares plain str.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._remember_credentials()
        return user

    def _remember_credentials(self) -> None:
        self._stored_credentials = (self.__dict__.get("password"), self.__dict__.get("is_active"))

    def check_password(self, raw_password: str | None) -> bool:
        # Django re-hashes a correct password with a newer hasher here (the setter inside);
        # that is the same password, not a change, and keeps the tokens.
        self._rehashing = True
        try:
            return super().check_password(raw_password)
        finally:
            self._rehashing = False

    def _credentials_changed(self, update_fields) -> bool:
        stored = getattr(self, "_stored_credentials", None)
        if stored is None:  # not loaded from the database: a new user holds no token
            return False
        if update_fields is not None and not {"password", "is_active"} & set(update_fields):
            return False
        password, active = stored
        return (
            self._password is not None  # set_password() since it was loaded
            or (
                password is not None
                and self.password != password
                and not getattr(self, "_rehashing", False)
            )
            or (active is not False and not self.is_active)
        )

    def save(self, *args, **kwargs) -> None:
        if not self._credentials_changed(kwargs.get("update_fields")):
            super().save(*args, **kwargs)
        else:
            with transaction.atomic():
                super().save(*args, **kwargs)
                ApiToken.objects.filter(user=self).delete()
        self._remember_credentials()

    def get_full_name(self) -> str:
        """The member's real name (what Wagtail shows in the admin and its moderation mails)."""
        profile = getattr(self, "profile", None)
        if profile is not None and profile.real_name:
            return profile.real_name
        return super().get_full_name()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def organization(self):
        profile = getattr(self, "profile", None)
        return profile.organization if profile is not None else None


class MemberProfile(models.Model):
    """What a party organisation records about a member (党员信息)."""

    class Category(models.TextChoices):
        FULL_MEMBER = "full", _("Full party member")
        PROBATIONARY = "probationary", _("Probationary party member")
        ACTIVIST = "activist", _("Activist applying for membership")
        MASSES = "masses", _("Non-party member")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    # Fields only people whose role covers the member (and the member) may see.
    PERSONAL_FIELDS = ("phone", "gender", "birth_date", "category", "joined_party_on", "position")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    real_name = models.CharField(_("real name"), max_length=50)
    # The name in pinyin (names.py), kept by save(): lists of members sort by it.
    name_sort_key = models.CharField(
        _("name for sorting"), max_length=255, blank=True, editable=False
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=11, blank=True, validators=[mobile_phone_validator]
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.FULL_MEMBER
    )
    joined_party_on = models.DateField(_("date joined the party"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="accounts_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.real_name

    def save(self, *args, **kwargs) -> None:
        self.name_sort_key = names.name_sort_key(self.real_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "real_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort_key"}
        super().save(*args, **kwargs)


class ApiToken(AbstractAuthToken):
    """An API token of one client (the phone app, a script) of one user: django-rest-knox
    keeps only its hash (`digest`) and its first characters (`token_key`, to find it), and
    ends it at `expiry`. A new login from the same client replaces that client's token."""

    client = models.CharField(_("client"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="accounts_one_token_per_client")
        ]


class InitialPasswordSheet(models.Model):
    """The initial passwords of the accounts one import (or one admin, by hand) created,
    kept for one download by the admin who issued them and emptied by it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    issued_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("issued by")
    )
    source = models.CharField(_("source"), max_length=200)
    accounts = models.PositiveIntegerField(_("accounts"))
    # [[username, real name, organisation, password], …] until the download
    entries = models.JSONField(_("entries"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("initial password sheet")
        verbose_name_plural = _("initial password sheets")

    def __str__(self) -> str:
        return f"{self.source} ({self.accounts})"

    @property
    def expires_at(self):
        """When the passwords go if nobody has downloaded them."""
        return self.created_at + dt.timedelta(hours=settings.ACCOUNTS_PASSWORD_SHEET_HOURS)
