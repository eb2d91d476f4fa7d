"""Users and the member record a party organisation keeps about each of them."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import names

mobile_phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland China mobile number.")
)


class User(AbstractUser):
    """The platform's user (custom from the first migration, so it can grow without pain)."""

    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for imported accounts: the first login asks for a new password."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
