"""Permission policies of the accounts app, registered with Wagtail."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import MemberProfile


class ProfileEditOnlyPolicy(ModelPermissionPolicy):
    """Members come from the bulk import; a bare profile form would need a user and an
    organisation picked from lists of 100 000, so the admin only lists and edits them."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(MemberProfile, ProfileEditOnlyPolicy(MemberProfile), exact_class=True)
