"""Opening a member's record: the one way views and the API read someone's record."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lms.accounts.models import User
from lms.core.audit import record_audit

from . import permissions


def open_member_record(request: HttpRequest, user_id: int) -> User:
    """The member whose record the requesting user opens.

    404 unless `permissions.can_view_member_record` allows it (a stranger learns nothing, not
    even that the member exists); every look at someone else's record goes to the audit log.
    """
    member = get_object_or_404(User.objects.select_related("profile__organization"), pk=user_id)
    if not permissions.can_view_member_record(request.user, member):
        raise Http404
    if member.pk != request.user.pk:
        record_audit(
            request, "member.view", target=member.username, organization=member.organization
        )
    return member
