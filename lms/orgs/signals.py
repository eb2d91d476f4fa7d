"""Keep Wagtail group membership in step with roles, however a role is changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import OrgRole
from .services import sync_admin_groups


@receiver([post_save, post_delete], sender=OrgRole)
def _role_changed(sender, instance: OrgRole, **kwargs) -> None:
    instance.user.__dict__.pop("_org_role_paths", None)
    sync_admin_groups(instance.user)
