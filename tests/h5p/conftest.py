"""Fixtures of the H5P tests: a private content and media folder per test, packages."""

from importlib import import_module

import pytest
from django.apps import apps

from courses.h5p.models import H5PPackage


@pytest.fixture(autouse=True)
def h5p_storage(settings, tmp_path):
    """Unpacked packages and uploaded originals go to this test's own folder."""
    settings.H5P_CONTENT_ROOT = tmp_path / "h5p-content"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.H5P_CONTENT_ROOT


@pytest.fixture
def bare_package(db):
    """A package row without files, for rules that never touch the content."""
    return H5PPackage.objects.create(
        title="测试活动", file="h5p/packages/none.h5p", main_library="PartyMooc.Check 1.0"
    )


@pytest.fixture
def trainer_permissions(db):
    """The trainer group's admin access and H5P permissions (made by migrations; transactional
    tests truncate them)."""
    import_module("lms.orgs.migrations.0002_role_admin_groups").create_groups(apps, None)
    import_module("courses.h5p.migrations.0002_trainer_permissions").grant(apps, None)


@pytest.fixture
def opened_grant(settings):
    """A member's grant for a package, with the player opened under it `seconds_ago` (by
    default long enough ago for a completion to count), as the frame's load records it."""
    from datetime import timedelta

    from django.utils import timezone

    from courses.h5p import services
    from courses.h5p.grants import play_grant, read_grant
    from courses.h5p.models import H5PPlay

    def make(user, package, seconds_ago: float | None = None) -> str:
        token = play_grant(user, package)
        play = services.record_opening(read_grant(token))
        ago = settings.H5P_MIN_PLAY_SECONDS + 1 if seconds_ago is None else seconds_ago
        H5PPlay.objects.filter(pk=play.pk).update(opened_at=timezone.now() - timedelta(seconds=ago))
        return token

    return make
