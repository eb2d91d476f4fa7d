"""VideoAsset's contract for the other areas, and the lesson block's chooser."""

import pytest
from django.urls import reverse

from media_pipeline import delivery
from media_pipeline.blocks import VideoChooserBlock
from media_pipeline.models import VideoAsset

from .factories import VideoAssetFactory

pytestmark = pytest.mark.django_db


def test_a_new_video_is_queued_and_has_no_urls_until_ready():
    video = VideoAssetFactory()

    assert video.status == VideoAsset.Status.QUEUED
    assert video.progress == 0
    assert not video.is_ready
    assert delivery.video_playback(video) is None


def test_a_ready_videos_urls_are_signed_for_its_published_folder():
    video = VideoAssetFactory(
        status=VideoAsset.Status.READY, output_path="videos/7/0123456789abcdef"
    )
    playback = delivery.video_playback(video)

    assert video.is_ready
    signature = delivery.signature("videos/7/0123456789abcdef", playback.expires_at)
    folder = f"/files/{playback.expires_at}/{signature}/videos/7/0123456789abcdef"
    assert playback.hls_url == f"{folder}/master.m3u8"
    assert playback.poster_url == f"{folder}/poster.jpg"


def test_chooser_block_round_trips_a_video():
    video = VideoAssetFactory()
    block = VideoChooserBlock()

    assert block.get_prep_value(video) == video.pk
    assert block.to_python(video.pk) == video


def test_chooser_lists_only_videos_of_the_trainers_subtree(client, people, org_tree):
    mine = VideoAssetFactory(title="本总支的视频", organization=org_tree["general_a"])
    other = VideoAssetFactory(title="别的总支的视频", organization=org_tree["general_b"])
    from lms.orgs.models import OrgRole
    from lms.orgs.services import grant_role

    trainer = people["head_general_a"]
    grant_role(trainer, org_tree["general_a"], OrgRole.Kind.TRAINER)
    client.force_login(trainer)

    response = client.get(reverse("video_chooser:choose"))

    assert response.status_code == 200
    html = response.json()["html"]
    assert mine.title in html
    assert other.title not in html
    chosen = client.get(reverse("video_chooser:chosen", args=[other.pk]))
    assert chosen.status_code == 404
