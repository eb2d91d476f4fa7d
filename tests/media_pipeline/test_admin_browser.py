"""In chromium: the video library's progress bar follows the running job without a reload."""

from django.urls import reverse
from playwright.sync_api import expect

from media_pipeline.models import VideoAsset

from .factories import VideoAssetFactory


def test_progress_moves_while_the_video_converts_then_shows_ready(
    login, people, org_tree, live_server, media_root
):
    video = VideoAssetFactory(
        title="正在转码的党课",
        organization=org_tree["committee"],
        status=VideoAsset.Status.PROCESSING,
        progress=10,
    )
    page = login("trainer_c")
    page.goto(f"{live_server.url}/admin/videos/")
    row = page.get_by_role("row").filter(has_text="正在转码的党课")
    expect(row.locator("[data-video-percent]")).to_have_text("10%")

    VideoAsset.objects.filter(pk=video.pk).update(progress=55)
    expect(row.locator("[data-video-percent]")).to_have_text("55%", timeout=10000)
    expect(row.locator("progress")).to_have_js_property("value", 55)

    VideoAsset.objects.filter(pk=video.pk).update(
        status=VideoAsset.Status.READY, progress=100, output_path=f"videos/{video.pk}/x"
    )
    expect(row).to_contain_text("已就绪", timeout=10000)
    expect(row.locator("progress")).to_have_count(0)


def test_a_video_over_the_size_limit_is_refused_as_soon_as_it_is_chosen(
    login, people, org_tree, live_server, media_root, clip, settings, tmp_path
):
    settings.VIDEO_MAX_UPLOAD_BYTES = 1024 * 1024
    too_big = tmp_path / "三小时的党课.mp4"
    too_big.write_bytes(b"\0" * (2 * 1024 * 1024))
    page = login("trainer_c")
    page.goto(f"{live_server.url}{reverse('videos:add')}")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    field = page.locator("input[name=original]")

    field.set_input_files(str(too_big))

    message = page.locator("[data-upload-limit-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("2.0 MB")
    expect(message).to_contain_text("最多只能上传")
    # Emptied: saving now cannot send the file, and nothing was sent.
    assert field.evaluate("input => input.files.length") == 0
    assert sent == []

    field.set_input_files(str(clip("small.mp4")))
    expect(message).to_be_hidden()
    assert field.evaluate("input => input.files.length") == 1
    assert not VideoAsset.objects.exists()
