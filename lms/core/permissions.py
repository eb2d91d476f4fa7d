"""Permission policies of the core app, registered with Wagtail."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditEntry


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The audit log is append-only: nobody adds, edits or deletes entries by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(AuditEntry, ReadOnlyPolicy(AuditEntry), exact_class=True)
