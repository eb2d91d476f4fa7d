"""Organisation pages for people who hold roles: the tree they cover, member lists, records."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.credentials import reset_link
from lms.accounts.models import MemberProfile, User
from lms.accounts.requests import AuthenticatedHttpRequest
from lms.core.audit import record_audit

from . import permissions
from .forms import TransferForm
from .models import PartyOrganization
from .records import open_member_record
from .services import TransferError, transfer_member


def _covered_org_or_404(request: AuthenticatedHttpRequest, org_id: int) -> PartyOrganization:
    organization = get_object_or_404(PartyOrganization, pk=org_id)
    if not permissions.covers_organization(
        request.user, organization, permissions.MEMBER_RECORD_ROLES
    ):
        raise Http404
    return organization


def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The subtrees the user's member-managing roles cover, with member counts."""
    organizations = (
        permissions.covered_organizations(request.user, permissions.MEMBER_RECORD_ROLES)
        .annotate(member_count=Count("members"))
        .order_by("path")
    )
    if not organizations:
        raise Http404
    top_depth = min(org.depth for org in organizations)
    for org in organizations:
        org.indent = org.depth - top_depth
    return render(
        request,
        "orgs/organization_list.html",
        {"organizations": organizations, "nav_section": "orgs"},
    )


def member_list(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organization = _covered_org_or_404(request, org_id)
    profiles = (
        MemberProfile.objects.filter(organization.in_subtree())
        .select_related("user", "organization")
        .order_by("organization__path", "name_sort_key", "real_name", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        profiles = profiles.filter(
            Q(real_name__icontains=query)
            | Q(phone__contains=query)
            | Q(user__username__icontains=query)
        )
    category = request.GET.get("category", "")
    if category in MemberProfile.Category.values:
        profiles = profiles.filter(category=category)
    page = Paginator(profiles, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/member_list.html",
        {
            "organization": organization,
            "page": page,
            "query": query,
            "category": category,
            "categories": MemberProfile.Category.choices,
            "nav_section": "orgs",
        },
    )


def _detail_context(request: AuthenticatedHttpRequest, member: User) -> dict:
    profile = getattr(member, "profile", None)
    other = member.pk != request.user.pk
    return {
        "member": member,
        "profile": profile,
        "roles": member.org_roles.select_related("organization"),
        "transfers": member.transfers.select_related(
            "from_organization", "to_organization", "transferred_by"
        ),
        "transfer_form": TransferForm() if other and profile is not None else None,
        "can_reset": other,
        "nav_section": "orgs",
    }


def member_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    member = open_member_record(request, user_id)
    return render(request, "orgs/member_detail.html", _detail_context(request, member))


@require_POST
def member_reset_link(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """A one-time link for a member who forgot their password (SMS is not available
    everywhere): made by whoever's role covers the member, shown once, to hand over."""
    member = open_member_record(request, user_id)
    if member.pk == request.user.pk:
        raise Http404
    link = reset_link(request, member)
    context = {**_detail_context(request, member), "reset_link": link}
    return render(request, "orgs/member_detail.html", context)


@require_POST
def member_transfer(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Transfer a member out; allowed to whoever manages the member's current organisation."""
    member = get_object_or_404(User.objects.select_related("profile__organization"), pk=user_id)
    if member.pk == request.user.pk or not permissions.can_view_member_record(request.user, member):
        raise Http404
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            transfer_member(
                member,
                form.cleaned_data["to_organization"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TransferError as exc:
            messages.error(request, str(exc))
        else:
            record_audit(
                request,
                "member.transfer",
                target=member.username,
                organization=form.cleaned_data["to_organization"],
            )
            messages.success(
                request,
                _("%(name)s now belongs to %(org)s.")
                % {"name": member.display_name, "org": form.cleaned_data["to_organization"]},
            )
            member.refresh_from_db()
            if not permissions.can_view_member_record(request.user, member):
                return redirect("orgs:organization_list")
    else:
        messages.error(request, _("Choose the organisation to transfer to."))
    return redirect("orgs:member_detail", user_id=member.pk)
