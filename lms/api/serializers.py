"""Serializers of the account and organisation endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lms.accounts.models import MemberProfile, User
from lms.orgs.models import OrgRole, PartyOrganization


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    client = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text=_(
            "A name for this device or client, e.g. “张三的手机”. Logging in again with the same "
            "name replaces that client's token; other clients keep theirs."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expires_at = serializers.DateTimeField(
        source="expiry", help_text=_("After this moment the token is refused (401).")
    )
    client = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why, in the caller's language."))


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrganization
        fields = ["id", "name"]


class OrganizationSerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrganization
        fields = ["id", "name", "code", "kind", "depth", "parent_id"]

    def get_parent_id(self, obj: PartyOrganization) -> int | None:
        parent = self.context.get("parents", {}).get(obj.path[: -PartyOrganization.steplen])
        return parent


class RoleSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    organization = OrganizationRefSerializer()

    class Meta:
        model = OrgRole
        fields = ["role", "role_display", "organization"]


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField()
    organization = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "organization", "roles", "must_change_password"]

    def get_organization(self, user: User) -> dict | None:
        organization = user.organization
        return OrganizationRefSerializer(organization).data if organization else None

    def get_roles(self, user: User) -> list[dict]:
        roles = user.org_roles.select_related("organization").order_by("organization__path")
        # With many=True the serializer is a ListSerializer, whose data is a list; the stubs
        # type every Serializer's data as a dict.
        return RoleSerializer(roles, many=True).data  # type: ignore[return-value]


class MemberSerializer(serializers.ModelSerializer):
    """A member as seen by someone whose role covers them: personal data included."""

    user_id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    organization = OrganizationRefSerializer()
    category_display = serializers.CharField(source="get_category_display")

    class Meta:
        model = MemberProfile
        fields = [
            "user_id",
            "username",
            "real_name",
            "organization",
            "category",
            "category_display",
            "gender",
            "phone",
            "birth_date",
            "joined_party_on",
            "position",
        ]
