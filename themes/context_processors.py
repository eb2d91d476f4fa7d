"""Template context every page needs: the site's theme and what the navigation shows."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .models import SiteTheme


def theme(request: HttpRequest) -> dict:
    if request.path_info.startswith("/admin/"):
        return {}

    def can_manage_members() -> bool:
        from lms.orgs import permissions

        return permissions.covered_organizations(
            request.user, permissions.MEMBER_RECORD_ROLES
        ).exists()

    def site_theme() -> SiteTheme:
        # A host no Wagtail site answers for still gets a readable page in the default theme.
        try:
            return SiteTheme.for_request(request)
        except (SiteTheme.DoesNotExist, Site.DoesNotExist):
            return SiteTheme()

    return {
        "theme": SimpleLazyObject(site_theme),
        "can_manage_members": SimpleLazyObject(can_manage_members),
    }
