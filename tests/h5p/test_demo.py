"""The demo H5P activity: built once from the platform's own content type, ready to play."""

import pytest
from django.test import Client

from courses.h5p import demo, storage
from courses.h5p.grants import frame_path, play_grant
from courses.h5p.models import H5PPackage
from lms.accounts.models import User
from lms.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


def test_the_demo_activity_is_built_once_and_plays():
    orgs_demo.build()

    assert demo.build() is True
    assert demo.build() is False

    package = H5PPackage.objects.get()
    assert package == demo.demo_activity()
    assert package.uploaded_by.username == "trainer"
    assert package.organization.code == "DEMO"  # the committee trainer's: theirs to manage
    assert "遵义会议" in (storage.content_dir(package) / "content" / "content.json").read_text()
    grant = play_grant(User.objects.get(username="member"), package)
    assert Client().get(frame_path(grant)).status_code == 200
