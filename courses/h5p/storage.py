"""Where unpacked packages live, and unpacking them safely.

Each package is unpacked into its own folder `settings.H5P_CONTENT_ROOT/<content_token>`,
outside MEDIA_ROOT (media is served to logged-in members by a plain file view; H5P content
must only be served by `courses.h5p.views`, with its isolating headers). Unpacking writes
into a staging folder first and renames it into place, so a half-unpacked package is never
served. The folder can always be rebuilt from the stored original (`ensure_unpacked`), so
several web servers can share originals in object storage and each keep its own copy.
"""

import os
import shutil
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .models import H5PPackage
from .validation import PackageError, PackageInfo, validate_package

CHUNK = 256 * 1024
STAGING_PREFIX = ".staging-"
STALE_STAGING_SECONDS = 3600


def content_root() -> Path:
    return Path(settings.H5P_CONTENT_ROOT)


def content_dir(package: H5PPackage) -> Path:
    """The folder a package's files are served from."""
    return content_root() / package.content_token


def unpack(upload: IO[bytes], info: PackageInfo) -> Path:
    """Unpack the files validation accepted into a new staging folder and return it.

    The sizes validation read from the zip's directory are enforced again on the bytes
    actually decompressed: an entry that yields more than it declared, or more than the
    limits, stops the unpacking and nothing is left behind.
    """
    root = content_root()
    root.mkdir(parents=True, exist_ok=True)
    sweep_stale_staging()
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    lying = PackageError(
        _("The zip archive's directory does not match its contents (a zip bomb?); refused.")
    )
    try:
        upload.seek(0)
        total = 0
        with zipfile.ZipFile(upload) as archive:
            for name, declared in info.files.items():
                target = Path(os.path.normpath(staging.joinpath(*name.split("/"))))
                # Names passed validation; check where they land anyway, as the last word.
                if staging not in target.parents:
                    raise PackageError(_("A path would write outside the package; refused."))
                target.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with archive.open(name) as source, open(target, "xb") as destination:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if (
                            written > declared
                            or written > settings.H5P_MAX_FILE_BYTES
                            or total > settings.H5P_MAX_UNPACKED_BYTES
                        ):
                            raise lying
                        destination.write(chunk)
                if written != declared:
                    raise lying
    except PackageError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        shutil.rmtree(staging, ignore_errors=True)
        raise PackageError(_("The zip archive is damaged.")) from None
    return staging


def publish(staging: Path, token: str) -> Path:
    """Move an unpacked staging folder to its serving place (one atomic rename)."""
    target = content_root() / token
    try:
        os.rename(staging, target)
    except OSError:
        # Another process published the same package first; its copy is identical.
        shutil.rmtree(staging, ignore_errors=True)
        if not target.is_dir():
            raise
    return target


def remove(token: str) -> None:
    """Delete a package's unpacked folder (after the package was deleted or replaced)."""
    if token:
        shutil.rmtree(content_root() / token, ignore_errors=True)


def sweep_stale_staging() -> None:
    """Remove staging folders an interrupted upload left behind."""
    root = content_root()
    if not root.is_dir():
        return
    cutoff = time.time() - STALE_STAGING_SECONDS
    for entry in root.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)


def ensure_unpacked(package: H5PPackage) -> Path:
    """The package's folder, unpacked again from the stored original if this machine has none."""
    folder = content_dir(package)
    if folder.is_dir():
        return folder
    with package.file.open("rb") as original:
        source: IO[bytes]
        if original.seekable():
            source = original
        else:
            source = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
            shutil.copyfileobj(original, source)
        info = validate_package(source, package.file.size)
        staging = unpack(source, info)
    return publish(staging, package.content_token)
