"""Serving a package: the isolated player page and its files, without the session, with the
headers that keep the content in an opaque origin; storage housekeeping."""

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from courses.h5p import services, storage
from courses.h5p.models import H5PPackage

from .packages import quick_check

pytestmark = pytest.mark.django_db

LIBRARY = "PartyMooc.QuickCheck-1.0"


@pytest.fixture
def package():
    return services.create_package(ContentFile(quick_check(), name="x.h5p"))


def file_url(package, path: str) -> str:
    return f"{package.files_path}{path}"


def test_the_player_page_needs_no_session_and_sandboxes_itself(package):
    response = Client().get(package.frame_path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in policy
    assert f"connect-src http://testserver{package.files_path};" in policy
    assert "form-action 'none'" in policy and "frame-ancestors http://testserver" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert f'data-h5p-json-path="http://testserver{package.files_path.rstrip("/")}"' in html
    assert f'data-xapi-object-iri="http://testserver/h5p/activities/{package.pk}"' in html


def test_unknown_tokens_are_404():
    assert Client().get("/h5p/p/" + "x" * 32 + "/").status_code == 404
    assert Client().get("/h5p/p/" + "x" * 32 + "/files/h5p.json").status_code == 404


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("h5p.json", "application/json"),
        ("content/content.json", "application/json"),
        (f"{LIBRARY}/quick-check.js", "text/javascript; charset=utf-8"),
        (f"{LIBRARY}/quick-check.css", "text/css; charset=utf-8"),
    ],
)
def test_files_are_served_with_explicit_types_and_isolating_headers(package, path, content_type):
    response = Client().get(file_url(package, path))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert (
        b"".join(response.streaming_content) == (storage.content_dir(package) / path).read_bytes()
    )


@pytest.mark.parametrize(
    "path",
    [
        "",
        "../../../lms/settings/base.py",
        "content/../h5p.json",
        "%2e%2e/%2e%2e/manage.py",
        "content/.hidden.json",
        "content//content.json",
        "nothing/here.json",
        f"{LIBRARY}/library.py",
    ],
)
def test_only_the_packages_own_allowed_files_are_served(package, path):
    assert Client().get(file_url(package, path)).status_code == 404


def test_media_can_be_fetched_by_byte_range(package):
    client = Client()
    path = file_url(package, f"{LIBRARY}/quick-check.js")
    whole = (storage.content_dir(package) / LIBRARY / "quick-check.js").read_bytes()

    part = client.get(path, HTTP_RANGE="bytes=10-19")
    tail = client.get(path, HTTP_RANGE="bytes=-5")
    beyond = client.get(path, HTTP_RANGE=f"bytes={len(whole) + 10}-")

    assert part.status_code == 206 and b"".join(part.streaming_content) == whole[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert b"".join(tail.streaming_content) == whole[-5:]
    assert beyond.status_code == 416


def test_a_machine_without_the_unpacked_files_unpacks_them_from_the_original(package):
    shutil.rmtree(storage.content_dir(package))

    response = Client().get(file_url(package, "h5p.json"))

    assert response.status_code == 200
    assert (storage.content_dir(package) / LIBRARY / "library.json").is_file()


def test_deleting_a_package_removes_its_files(package, django_capture_on_commit_callbacks):
    folder, original = storage.content_dir(package), package.file.path

    with django_capture_on_commit_callbacks(execute=True):
        package.delete()

    assert not folder.exists()
    assert not H5PPackage.objects.exists()
    assert not Path(original).exists()


def test_a_new_version_gets_new_urls_and_the_old_files_go(
    package, django_capture_on_commit_callbacks
):
    old_folder, old_frame = storage.content_dir(package), package.frame_path
    upload = ContentFile(quick_check(question="新的问题？"), name="v2.h5p")

    with django_capture_on_commit_callbacks(execute=True):
        services.save_package(package, services.prepare_upload(upload), upload)

    assert package.frame_path != old_frame
    assert not old_folder.exists()
    assert "新的问题？" in (storage.content_dir(package) / "content" / "content.json").read_text()
    assert Client().get(old_frame).status_code == 404
    assert Client().get(package.frame_path).status_code == 200
