"""Trainers upload, replace, try out and choose H5P activities in the Wagtail admin."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.h5p import storage
from courses.h5p.grants import frame_path, play_grant
from courses.h5p.models import H5PPackage

from .packages import quick_check, rebuild

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_h5p_h5ppackage:add")


def h5p_file(data: bytes, name: str = "活动.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def committee(people) -> int:
    """The organisation the committee trainer (people["trainer"]) puts activities in."""
    return people["trainer"].org_roles.get().organization_id


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT / "h5p"
    root = storage.content_root()
    return [
        *(media.rglob("*") if media.exists() else []),
        *(root.iterdir() if root.exists() else []),
    ]


def test_trainer_uploads_a_package_and_it_is_ready_to_play(
    client, people, trainer_permissions, settings
):
    trainer = people["trainer"]
    client.force_login(trainer)

    response = client.post(
        ADD,
        {
            "file": h5p_file(quick_check()),
            "title": "",
            "organization": committee(people),
            "pass_score_percent": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    package = H5PPackage.objects.get()
    assert package.title == "党章知识小测"  # from h5p.json
    assert package.uploaded_by == trainer
    assert package.main_library == "PartyMooc.QuickCheck 1.0"
    assert (storage.content_dir(package) / "h5p.json").is_file()
    assert package.organization_id == committee(people)
    assert client.get(frame_path(play_grant(trainer, package))).status_code == 200


def test_a_bad_package_is_refused_with_reasons_and_nothing_is_kept(
    client, people, trainer_permissions, settings
):
    client.force_login(people["trainer"])
    bad = rebuild(quick_check(), add={"../../evil.json": b"{}", "content/page.html": b"<script>"})

    response = client.post(ADD, {"file": h5p_file(bad), "title": "坏包"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "写到包外" in page and "content/page.html" in page
    assert not H5PPackage.objects.exists()
    assert stored_files(settings) == []


def test_a_file_that_is_not_h5p_is_refused(client, people, trainer_permissions, settings):
    client.force_login(people["trainer"])

    response = client.post(ADD, {"file": h5p_file(b"%PDF-1.4 not a zip", "讲义.pdf")})

    assert "这不是 H5P 文件" in response.content.decode()
    assert not H5PPackage.objects.exists()
    assert stored_files(settings) == []


def test_an_other_invalid_field_leaves_no_unpacked_files(
    client, people, trainer_permissions, settings
):
    client.force_login(people["trainer"])

    response = client.post(ADD, {"file": h5p_file(quick_check()), "pass_score_percent": "150"})

    assert response.status_code == 200
    assert not H5PPackage.objects.exists()
    assert stored_files(settings) == []


def test_replacing_the_file_keeps_the_activity_and_swaps_the_content(
    client, people, trainer_permissions, django_capture_on_commit_callbacks
):
    client.force_login(people["trainer"])
    client.post(ADD, {"file": h5p_file(quick_check()), "organization": committee(people)})
    package = H5PPackage.objects.get()
    old_folder, old_file = storage.content_dir(package), package.file.path
    edit = reverse("wagtailsnippets_h5p_h5ppackage:edit", args=[package.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {
                "title": "改名后的活动",
                "organization": committee(people),
                "pass_score_percent": "60",
            },
        )
    package.refresh_from_db()
    assert package.title == "改名后的活动" and package.pass_score_percent == 60
    assert storage.content_dir(package) == old_folder  # no new file: same content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit,
            {
                "file": h5p_file(quick_check(question="第二版？")),
                "title": "改名后的活动",
                "organization": committee(people),
            },
        )
    assert response.status_code == 302
    package.refresh_from_db()
    assert storage.content_dir(package) != old_folder
    assert not old_folder.exists()
    assert "第二版？" in (storage.content_dir(package) / "content" / "content.json").read_text()
    assert not Path(old_file).exists()


def test_the_inspect_page_lets_the_trainer_try_the_activity(client, people, trainer_permissions):
    client.force_login(people["trainer"])
    client.post(ADD, {"file": h5p_file(quick_check()), "organization": committee(people)})
    package = H5PPackage.objects.get()

    page = client.get(reverse("wagtailsnippets_h5p_h5ppackage:inspect", args=[package.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    frame = re.search(r'<iframe class="h5p-player__frame" src="([^"]+)"', html).group(1)
    assert frame.startswith("/h5p/p/") and 'sandbox="allow-scripts"' in html
    assert Client().get(frame).status_code == 200  # the trainer's own grant
    original = reverse("wagtailsnippets_h5p_h5ppackage:original", args=[package.pk])
    assert f'href="{original}"' in html


def test_lessons_can_choose_a_package(client, people, trainer_permissions):
    client.force_login(people["trainer"])
    client.post(ADD, {"file": h5p_file(quick_check()), "organization": committee(people)})

    chooser = client.get(reverse("wagtailsnippetchoosers_h5p_h5ppackage:choose"))

    assert chooser.status_code == 200
    assert "党章知识小测" in chooser.json()["html"]


def test_members_cannot_upload(client, people, trainer_permissions):
    client.force_login(people["member_a1"])

    response = client.post(ADD, {"file": h5p_file(quick_check())})

    assert response.status_code in (302, 403)
    assert not H5PPackage.objects.exists()
