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

    def can_open_admin() -> bool:
        # Trainers, reviewers and site admins work in Wagtail's admin (管理后台).
        return request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")

    return {
        "theme": SimpleLazyObject(site_theme),
        "can_manage_members": SimpleLazyObject(can_manage_members),
        "can_open_admin": SimpleLazyObject(can_open_admin),
    }
