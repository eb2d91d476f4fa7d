"""Account and organisation endpoints of the API (v1)."""

from django.contrib.auth import authenticate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.accounts import tokens
from lms.accounts.models import ApiToken, MemberProfile
from lms.core.audit import record_audit
from lms.orgs import permissions
from lms.orgs.models import PartyOrganization
from lms.orgs.records import open_member_record

from . import serializers
from .authentication import TokenAuthentication


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token of one client
    (`Authorization: Token <token>`); it expires at `expires_at`. Logging in again from the
    same `client` replaces that client's token. No token while the account still has to
    choose its own password (403)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: OpenApiResponse(serializers.DetailSerializer, "Wrong username or password."),
            403: OpenApiResponse(
                serializers.DetailSerializer, "The account must first choose its own password."
            ),
            429: OpenApiResponse(serializers.DetailSerializer, "Locked out after failures."),
        },
    )
    def post(self, request: Request) -> Response:
        form = serializers.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # django-axes needs the Django request to count failures and lock out.
        user = authenticate(
            request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(status=status.HTTP_429_TOO_MANY_REQUESTS)  # AxesMiddleware fills it
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong username or password.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if user.must_change_password:
            return Response(
                {
                    "detail": _(
                        "Set your own password first: log in on the website, choose a new "
                        "password there, then log in here with it."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        token, key = tokens.issue_api_token(user, form.validated_data["client"])
        answer = {"token": key, "expiry": token.expiry, "client": token.client}
        return Response(serializers.TokenSerializer(answer).data)


class LogoutView(APIView):
    """End the token this request was made with; the caller's other clients keep theirs.
    (To end every token, change the password: that ends them all.)"""

    authentication_classes = [TokenAuthentication]

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token is ended."),
            401: OpenApiResponse(serializers.DetailSerializer, "No valid token was sent."),
        },
    )
    def post(self, request: Request) -> Response:
        token = request.auth
        if not isinstance(token, ApiToken):  # knox, the only authentication here, gives one
            raise NotAuthenticated
        tokens.revoke_api_token(token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who the caller is: name, organisation and roles."""

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(serializers.MeSerializer(request.user).data)


class OrganizationListView(generics.ListAPIView):
    """Organisations the caller may see: those their roles cover, and their own branch's line."""

    serializer_class = serializers.OrganizationSerializer
    pagination_class = None

    def get_queryset(self):
        return permissions.visible_organizations(self.request.user).order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parents"] = dict(PartyOrganization.objects.values_list("path", "pk"))
        return context


class OrganizationMembersView(generics.ListAPIView):
    """Members of an organisation's subtree; only for roles that cover it (404 otherwise)."""

    serializer_class = serializers.MemberSerializer

    def get_queryset(self):
        organization = get_object_or_404(PartyOrganization, pk=self.kwargs["org_id"])
        if not permissions.covers_organization(
            self.request.user, organization, permissions.MEMBER_RECORD_ROLES
        ):
            raise Http404
        record_audit(
            self.request, "member.list", target=organization.code, organization=organization
        )
        return (
            MemberProfile.objects.filter(organization__path__startswith=organization.path)
            .select_related("user", "organization")
            .order_by("organization__path", "name_sort_key", "real_name", "pk")
        )


class MemberDetailView(APIView):
    """One member's record, personal data included; 404 unless the caller's role covers them."""

    @extend_schema(responses=serializers.MemberSerializer)
    def get(self, request: Request, user_id: int) -> Response:
        member = open_member_record(request, user_id)
        profile = getattr(member, "profile", None)
        if profile is None:
            raise Http404
        return Response(serializers.MemberSerializer(profile).data)
