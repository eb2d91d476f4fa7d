"""factory_boy factories of the media pipeline."""

import factory
from django.core.files.base import ContentFile

from media_pipeline.models import VideoAsset


class VideoAssetFactory(factory.django.DjangoModelFactory):
    """A video row; its original is a placeholder unless the test passes a real clip."""

    class Meta:
        model = VideoAsset

    title = factory.Sequence(lambda n: f"党课视频{n}")
    original = factory.LazyFunction(lambda: ContentFile(b"placeholder", name="lecture.mp4"))
