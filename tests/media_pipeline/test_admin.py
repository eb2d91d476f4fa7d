"""The video library in the Wagtail admin: upload, progress, failures, retry, captions, scoping."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from media_pipeline import delivery, pipeline
from media_pipeline.models import VideoAsset

from .conftest import make_video

pytestmark = pytest.mark.django_db

SRT = (
    "1\r\n00:00:00,500 --> 00:00:01,800\r\n同志们好！\r\n\r\n"
    "2\r\n00:00:02,000 --> 00:00:03,000\r\n<font color=red>今天学习党章</font>\r\n"
)


@pytest.fixture
def branch_trainer(people, org_tree):
    """A trainer for general branch A only (the committee trainer covers everything)."""
    trainer = people["head_general_a"]
    grant_role(trainer, org_tree["general_a"], OrgRole.Kind.TRAINER)
    return trainer


def _form(title, organization, upload=None, captions=()):
    data = {
        "title": title,
        "organization": organization.pk,
        "captions": inline_formset(list(captions)),
    }
    if upload is not None:
        data["original"] = upload
    return nested_form_data(data)


def test_trainer_uploads_in_the_admin_and_the_job_is_queued(
    client, people, org_tree, clip, media_root, django_capture_on_commit_callbacks
):
    client.force_login(people["trainer"])
    upload = SimpleUploadedFile("第一讲.mp4", clip("small.mp4").read_bytes())

    with django_capture_on_commit_callbacks() as sent:
        response = client.post(
            reverse("videos:add"), _form("第一讲 党章学习", org_tree["general_a"], upload)
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    video = VideoAsset.objects.get()
    assert (video.title, video.organization) == ("第一讲 党章学习", org_tree["general_a"])
    assert video.uploaded_by == people["trainer"]
    assert video.status == VideoAsset.Status.QUEUED
    assert len(sent) == 1


def test_a_text_file_is_refused_in_the_form(client, people, org_tree, media_root):
    client.force_login(people["trainer"])
    upload = SimpleUploadedFile("讲稿.txt", "不是视频".encode())

    response = client.post(reverse("videos:add"), _form("讲稿", org_tree["committee"], upload))

    assert response.status_code == 200
    assert "不是视频或音频文件" in response.content.decode()
    assert not VideoAsset.objects.exists()


def test_library_shows_progress_errors_and_only_the_trainers_subtree(
    client, branch_trainer, org_tree, clip, media_root
):
    converting = make_video(
        clip("small.mp4"),
        title="转码中的视频",
        organization=org_tree["branch_a1"],
        status=VideoAsset.Status.PROCESSING,
        progress=37,
    )
    failed = make_video(
        clip("small.mp4"),
        title="失败的视频",
        organization=org_tree["general_a"],
        status=VideoAsset.Status.FAILED,
        error="文件中没有视频或音频内容。",
    )
    make_video(clip("small.mp4"), title="别的总支的视频", organization=org_tree["general_b"])
    client.force_login(branch_trainer)

    html = client.get(reverse("videos:index")).content.decode()

    assert converting.title in html
    assert 'value="37"' in html
    assert "37%" in html
    assert f'data-video-status-url="/api/v1/videos/{converting.pk}/"' in html
    assert "文件中没有视频或音频内容。" in html
    assert reverse("videos:retry", args=[failed.pk]) in html
    assert "别的总支的视频" not in html


def test_failed_video_is_retried_from_the_admin(
    client, branch_trainer, org_tree, broken_files, media_root, django_capture_on_commit_callbacks
):
    video = make_video(broken_files["text"], organization=org_tree["general_a"])
    pipeline.process_video(video.pk)
    client.force_login(branch_trainer)
    url = reverse("videos:retry", args=[video.pk])

    confirm = client.get(url)
    with django_capture_on_commit_callbacks() as sent:
        done = client.post(url)

    assert "不是可以读取的视频或音频文件" in confirm.content.decode()
    assert done.status_code == 302
    video.refresh_from_db()
    assert (video.status, video.error, video.attempts) == (VideoAsset.Status.QUEUED, "", 0)
    assert len(sent) == 1


def test_videos_of_other_organisations_cannot_be_opened_edited_or_retried(
    client, branch_trainer, org_tree, clip, media_root
):
    other = make_video(
        clip("small.mp4"), organization=org_tree["general_b"], status=VideoAsset.Status.FAILED
    )
    client.force_login(branch_trainer)

    for name in ("edit", "delete", "retry", "preview"):
        assert client.get(reverse(f"videos:{name}", args=[other.pk])).status_code == 404, name
    assert client.post(reverse("videos:retry", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == VideoAsset.Status.FAILED


def test_members_without_a_trainer_role_do_not_get_the_library(client, people):
    client.force_login(people["secretary_a1"])

    assert client.get(reverse("videos:index")).status_code in (302, 403)


def test_srt_captions_are_stored_as_webvtt(client, people, org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["committee"])
    pipeline.process_video(video.pk)
    client.force_login(people["trainer"])
    caption = {
        "language": "zh-hans",
        "label": "中文字幕",
        "file": SimpleUploadedFile("第一讲.srt", SRT.encode("gb18030")),
    }

    response = client.post(
        reverse("videos:edit", args=[video.pk]),
        _form(video.title, org_tree["committee"], captions=[caption]),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    stored = video.captions.get()
    assert stored.file.name.endswith(".vtt")
    text = stored.file.read().decode("utf-8")
    assert text.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.800\n同志们好！")
    assert "<font" not in text
    assert "今天学习党章" in text
    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY, "keeping the file does not convert again"


def test_a_broken_caption_file_gets_a_chinese_message(client, people, org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["committee"])
    client.force_login(people["trainer"])
    caption = {
        "language": "zh-hans",
        "label": "",
        "file": SimpleUploadedFile("坏字幕.srt", "1\n这里没有时间轴\n".encode()),
    }

    response = client.post(
        reverse("videos:edit", args=[video.pk]),
        _form(video.title, org_tree["committee"], captions=[caption]),
    )

    assert response.status_code == 200
    assert "字幕文件中没有字幕内容" in response.content.decode()
    assert not video.captions.exists()


def test_preview_plays_the_published_video(client, people, org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["committee"])
    pipeline.process_video(video.pk)
    video.refresh_from_db()
    client.force_login(people["trainer"])

    html = client.get(reverse("videos:preview", args=[video.pk])).content.decode()

    assert f'data-hls-url="{delivery.video_playback(video).hls_url}"' in html
    assert f'data-renew-url="/api/v1/videos/{video.pk}/"' in html
    assert 'data-heartbeat-url=""' in html
    assert "vendor/hls/hls.min.js" in html


def test_deleting_a_video_removes_its_files(
    client, people, org_tree, clip, media_root, django_capture_on_commit_callbacks
):
    video = make_video(clip("small.mp4"), organization=org_tree["committee"])
    pipeline.process_video(video.pk)
    video.refresh_from_db()
    original = media_root / video.original.name
    folder = media_root / "videos" / str(video.pk)
    assert original.is_file() and folder.is_dir()
    client.force_login(people["trainer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("videos:delete", args=[video.pk]))

    assert response.status_code == 302
    assert not VideoAsset.objects.filter(pk=video.pk).exists()
    assert not original.exists()
    assert not folder.exists()
