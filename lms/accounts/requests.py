"""Request types whose user is a logged-in member, for the views that only ever see one.

Django and DRF type `request.user` as "a user or the anonymous user", because in general it
can be either. Member pages and API views cannot see the anonymous user: every page outside
`LOGIN_EXEMPT_PATH_PREFIXES` is refused to it by `lms.core.middleware.LoginRequiredMiddleware`,
and every API view by DRF's default permission, `IsAuthenticated`. A view says so by
annotating its request with one of these types (the pattern django-stubs documents), so the
type checker knows the user is a `User` without a cast at each use. They are types only:
Django and DRF build the requests.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a member page (behind `LoginRequiredMiddleware`)."""

    user: User


class AuthenticatedRequest(Request):
    """The request of an API view that keeps DRF's default permission, `IsAuthenticated`."""

    user: User
