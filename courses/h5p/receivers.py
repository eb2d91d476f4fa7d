"""Housekeeping when packages go away."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import storage
from .models import H5PPackage


@receiver(post_delete, sender=H5PPackage, dispatch_uid="h5p_remove_package_files")
def remove_package_files(sender, instance: H5PPackage, **kwargs) -> None:
    """A deleted package's unpacked folder and original go too (once the deletion commits)."""
    token, name, file_storage = instance.content_token, instance.file.name, instance.file.storage

    def remove() -> None:
        storage.remove(token)
        if name:
            file_storage.delete(name)

    transaction.on_commit(remove)
