"""Files follow their rows: a deleted video takes its original, published folder and captions
with it (once the deletion has committed, so a rolled-back delete loses nothing)."""

import shutil

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import VideoAsset, VideoCaption
from .pipeline import video_folder


@receiver(post_delete, sender=VideoAsset)
def _remove_video_files(sender, instance: VideoAsset, **kwargs) -> None:
    original, folder = instance.original.name, video_folder(instance.pk)

    def remove() -> None:
        if original:
            default_storage.delete(original)
        shutil.rmtree(folder, ignore_errors=True)

    transaction.on_commit(remove)


@receiver(post_delete, sender=VideoCaption)
def _remove_caption_file(sender, instance: VideoCaption, **kwargs) -> None:
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
