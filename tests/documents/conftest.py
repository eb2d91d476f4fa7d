"""Fixtures of the document tests."""

import pytest


@pytest.fixture(autouse=True)
def root_collection(db, settings, tmp_path):
    """Documents live in a collection, and their files in this test's own media folder.
    Migrations make the root collection, but transactional tests truncate every table."""
    from wagtail.models import Collection

    settings.MEDIA_ROOT = tmp_path / "media"
    return Collection.get_first_root_node() or Collection.add_root(name="Root")
