"""Serving a package: the isolated player page and its files, without the session but only
under a member's valid grant, with the headers that keep the content in an opaque origin;
storage housekeeping; the site's own script policy leaves package files out."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from courses.h5p import services, storage
from courses.h5p.grants import files_path, frame_path, play_grant
from courses.h5p.models import H5PPackage, H5PPlay

from .packages import quick_check

pytestmark = pytest.mark.django_db

LIBRARY = "PartyMooc.QuickCheck-1.0"


@pytest.fixture
def package():
    return services.create_package(ContentFile(quick_check(), name="x.h5p"))


@pytest.fixture
def grant(people, package):
    return play_grant(people["member_a1"], package)


def file_url(grant: str, path: str) -> str:
    return f"{files_path(grant)}{path}"


def test_the_player_page_needs_no_session_and_sandboxes_itself(package, grant):
    response = Client().get(frame_path(grant))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in policy
    assert f"connect-src http://testserver{files_path(grant)};" in policy
    assert "script-src http://testserver/static/vendor/h5p/ " in policy
    assert f"http://testserver{files_path(grant)} 'unsafe-eval'" in policy
    assert "form-action 'none'" in policy and "frame-ancestors http://testserver" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert f'data-h5p-json-path="http://testserver{files_path(grant).rstrip("/")}"' in html
    assert f'data-xapi-object-iri="http://testserver/h5p/activities/{package.pk}"' in html


def test_opening_the_player_is_recorded_once_under_its_grant(people, package, grant):
    Client().get(frame_path(grant))
    first = H5PPlay.objects.get()
    Client().get(frame_path(grant))  # the member reloads the frame: still the first opening

    assert H5PPlay.objects.get() == first
    assert (first.user, first.package) == (people["member_a1"], package)
    assert first.opened_at is not None


def test_without_a_grant_nothing_of_the_package_is_served(package):
    """The content token alone (the old URLs) opens nothing, answers included."""
    client = Client()

    old_urls = f"/h5p/p/{package.content_token}/"
    assert client.get(old_urls).status_code == 404
    assert client.get(f"{old_urls}files/content/content.json").status_code == 404
    assert client.get("/h5p/p/" + "x" * 32 + "/files/h5p.json").status_code == 404
    assert not H5PPlay.objects.exists()


def test_a_forged_or_expired_grant_opens_nothing(people, package, grant, settings):
    client = Client()
    value, signature = grant.rsplit(":", 1)
    forged = f"{value}:{signature[::-1]}"
    other = H5PPackage.objects.create(title="另一个", file="h5p/packages/none.h5p")
    swapped = f"{play_grant(people['member_a1'], other).rsplit(':', 1)[0]}:{signature}"

    for token in (forged, swapped):
        assert client.get(frame_path(token)).status_code == 404
        assert client.get(file_url(token, "content/content.json")).status_code == 404
    settings.H5P_PLAY_GRANT_MAX_AGE = timedelta(seconds=-1)
    assert client.get(frame_path(grant)).status_code == 404
    assert client.get(file_url(grant, "content/content.json")).status_code == 404
    assert not H5PPlay.objects.exists()


def test_the_sites_script_policy_leaves_package_files_out(client, people, package, grant):
    """Uploaded H5P libraries run only inside the sandboxed player, whose own policy lists
    them; on the site's pages no script may come from anywhere but the static files."""
    client.force_login(people["member_a1"])

    policy = client.get("/")["Content-Security-Policy"]

    script_src = re.search(r"script-src ([^;]*)", policy).group(1).split()
    assert "'self'" not in script_src
    sources = [s for s in script_src if not s.startswith("'nonce-")]
    assert sources == ["http://testserver/static/"]
    assert "/h5p/" not in policy
    worker_src = re.search(r"worker-src ([^;]*)", policy).group(1).split()
    assert "'self'" not in worker_src
    admin_policy = client.get("/admin/")["Content-Security-Policy"]
    admin_scripts = re.search(r"script-src ([^;]*)", admin_policy).group(1).split()
    assert "'self'" not in admin_scripts and "/h5p/" not in admin_policy


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("h5p.json", "application/json"),
        ("content/content.json", "application/json"),
        (f"{LIBRARY}/quick-check.js", "text/javascript; charset=utf-8"),
        (f"{LIBRARY}/quick-check.css", "text/css; charset=utf-8"),
    ],
)
def test_files_are_served_with_explicit_types_and_isolating_headers(
    package, grant, path, content_type
):
    response = Client().get(file_url(grant, path))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
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
def test_only_the_packages_own_allowed_files_are_served(grant, path):
    assert Client().get(file_url(grant, path)).status_code == 404


def test_media_can_be_fetched_by_byte_range(package, grant):
    client = Client()
    path = file_url(grant, f"{LIBRARY}/quick-check.js")
    whole = (storage.content_dir(package) / LIBRARY / "quick-check.js").read_bytes()

    part = client.get(path, HTTP_RANGE="bytes=10-19")
    tail = client.get(path, HTTP_RANGE="bytes=-5")
    beyond = client.get(path, HTTP_RANGE=f"bytes={len(whole) + 10}-")

    assert part.status_code == 206 and b"".join(part.streaming_content) == whole[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert b"".join(tail.streaming_content) == whole[-5:]
    assert beyond.status_code == 416


def test_a_machine_without_the_unpacked_files_unpacks_them_from_the_original(package, grant):
    shutil.rmtree(storage.content_dir(package))

    response = Client().get(file_url(grant, "h5p.json"))

    assert response.status_code == 200
    assert (storage.content_dir(package) / LIBRARY / "library.json").is_file()


def test_deleting_a_package_removes_its_files(package, django_capture_on_commit_callbacks):
    folder, original = storage.content_dir(package), package.file.path

    with django_capture_on_commit_callbacks(execute=True):
        package.delete()

    assert not folder.exists()
    assert not H5PPackage.objects.exists()
    assert not Path(original).exists()


def test_a_new_version_replaces_the_files_and_the_old_ones_go(
    package, grant, django_capture_on_commit_callbacks
):
    old_folder = storage.content_dir(package)
    upload = ContentFile(quick_check(question="新的问题？"), name="v2.h5p")

    with django_capture_on_commit_callbacks(execute=True):
        services.save_package(package, services.prepare_upload(upload), upload)

    assert not old_folder.exists()
    served = Client().get(file_url(grant, "content/content.json"))
    assert "新的问题？" in b"".join(served.streaming_content).decode()


def test_openings_whose_grant_expired_are_forgotten(people, package):
    from django.utils import timezone

    from courses.h5p.tasks import forget_old_openings

    member = people["member_a1"]
    stale = H5PPlay.objects.create(
        key="stale", user=member, package=package, opened_at=timezone.now() - timedelta(hours=14)
    )
    fresh = H5PPlay.objects.create(
        key="fresh", user=member, package=package, opened_at=timezone.now() - timedelta(hours=1)
    )

    assert forget_old_openings() == 1
    assert list(H5PPlay.objects.all()) == [fresh]
    assert not H5PPlay.objects.filter(pk=stale.pk).exists()
