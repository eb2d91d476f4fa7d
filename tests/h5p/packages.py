"""H5P packages the tests build: the platform's own content type, and broken or malicious
ones. Shared fixtures (real H5P packages) are read from ../shared when that folder exists."""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from courses.h5p.content_types import quick_check_package

# A checkout in a worktree of its own can point at the shared folder elsewhere.
SHARED_FIXTURES = Path(
    os.environ.get("H5P_FIXTURES_DIR")
    or Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "h5p"
)
REAL_PACKAGES = ("truefalse", "multichoice", "blanks")


def real_package(name: str) -> bytes:
    """A real H5P package from ../shared/fixtures/h5p, or skip where that folder is absent."""
    path = SHARED_FIXTURES / f"{name}.h5p"
    if not path.is_file():
        pytest.skip(f"{path} is absent (a fresh clone has no ../shared): real H5P fixtures skipped")
    return path.read_bytes()


def quick_check(**overrides) -> bytes:
    params = {
        "title": "党章知识小测",
        "question": "中国共产党的最高领导机关是？",
        "answers": ["党的全国代表大会和它所产生的中央委员会", "党的地方各级代表大会"],
        "correct": 0,
    }
    return quick_check_package(**{**params, **overrides})


def rebuild(data: bytes, *, drop=(), add=None, replace=None) -> bytes:
    """A copy of a zip with entries dropped, added or replaced (name → bytes)."""
    add, replace = add or {}, replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def manifest_of(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("h5p.json"))
