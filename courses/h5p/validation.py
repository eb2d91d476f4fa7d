"""The strict check every uploaded H5P package passes before anything is stored for use.

An .h5p file is a zip with `h5p.json` (the package manifest), `content/` (the activity's
parameters and media) and one folder per library (`H5P.TrueFalse-1.6/` …). It comes from
outside, so the zip is read defensively: sizes and counts from the central directory are
checked against the limits in settings (and enforced again while unpacking, see
`courses.h5p.storage`, because headers can lie), every path must stay inside the package,
every file type must be on the allow list, and the manifest must name libraries the package
really contains. Every refusal says why in the trainer's language.
"""

import json
import re
import stat
import struct
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The H5P specification's allow list for content files, minus `swf` (Flash: no browser plays
# it any more, and it was a classic way to run code from an upload). Library folders may also
# hold `js` and `css` — the content type's code — as in H5P core; `content/` may not.
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav "
    "txt pdf rtf doc docx xls xlsx ppt pptx odt ods odp xml csv diff patch md textile vtt "
    "webvtt".split()
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}
MANIFEST = "h5p.json"
CONTENT_FOLDER = "content"
CONTENT_JSON = "content/content.json"
# A library folder is named `<machineName>-<major>.<minor>`.
LIBRARY_FOLDER = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*)-(\d+)\.(\d+)$")
SAFE_SEGMENT = re.compile(r"^[^\x00-\x1f\x7f/\\:*?\"<>|]+$")
# JSON files are read into memory to be checked: they must stay small.
MAX_JSON_BYTES = 5 * 1024 * 1024
# Only large entries are checked for their compression ratio: a small file of spaces
# compresses extremely well and is harmless.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
MAX_NAMES_LISTED = 5


class PackageError(ValueError):
    """A package refused; `messages` say why, in the trainer's language."""

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


@dataclass(frozen=True)
class Dependency:
    machine_name: str
    major: int
    minor: int

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


@dataclass(frozen=True)
class PackageInfo:
    """What validation learnt about a package: enough to unpack and describe it."""

    title: str
    main_library: Dependency
    manifest: dict
    # Files to unpack: name in the zip → size declared in the central directory.
    files: dict[str, int] = field(default_factory=dict)

    @property
    def unpacked_size(self) -> int:
        return sum(self.files.values())


def _names(names: list[str]) -> str:
    listed = "、".join(f"“{name}”" for name in names[:MAX_NAMES_LISTED])
    if len(names) > MAX_NAMES_LISTED:
        listed += _(" and %(count)d more") % {"count": len(names) - MAX_NAMES_LISTED}
    return listed


def _size(value: int) -> str:
    return filesizeformat(value)


def _too_many_files(count: int) -> PackageError:
    return PackageError(
        _("The package holds %(count)d files; at most %(limit)d are allowed.")
        % {"count": count, "limit": settings.H5P_MAX_FILES}
    )


def _unsafe_path(name: str) -> bool:
    """Whether a zip entry name could escape the folder it is unpacked into (zip slip)."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    segments = name.rstrip("/").split("/")
    return any(s in ("", ".", "..") or not SAFE_SEGMENT.match(s) for s in segments)


def _ignored(name: str) -> bool:
    """Hidden files and macOS archive metadata: never unpacked (as in H5P core)."""
    return any(s.startswith(".") or s == "__MACOSX" for s in name.split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _read_json(archive: zipfile.ZipFile, name: str, label: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_JSON_BYTES:
        raise PackageError(_("%(file)s is too large.") % {"file": label})
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise PackageError(_("%(file)s is damaged.") % {"file": label}) from None
    if len(data) > MAX_JSON_BYTES:
        raise PackageError(_("%(file)s is too large.") % {"file": label})
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PackageError(_("%(file)s is not valid JSON.") % {"file": label}) from None


def _version(value: Any) -> int | None:
    # Editors write versions as numbers or as strings of digits ("1").
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _dependencies(value: Any, where: str) -> list[Dependency]:
    if value is None:
        return []
    problem = _("%(file)s lists its preloaded dependencies wrongly.") % {"file": where}
    if not isinstance(value, list):
        raise PackageError(problem)
    found = []
    for item in value:
        if not isinstance(item, dict):
            raise PackageError(problem)
        name = item.get("machineName")
        major, minor = _version(item.get("majorVersion")), _version(item.get("minorVersion"))
        if not isinstance(name, str) or major is None or minor is None:
            raise PackageError(problem)
        dependency = Dependency(name, major, minor)
        if not LIBRARY_FOLDER.match(dependency.folder):
            raise PackageError(problem)
        found.append(dependency)
    return found


def declared_entry_count(upload: IO[bytes], size: int) -> int | None:
    """The number of entries the zip's end record announces, read before the central directory
    is parsed (a directory of millions of entries would take gigabytes of memory to parse).
    None when there is no end record (not a zip)."""
    tail_size = min(size, 22 + 0xFFFF)
    upload.seek(size - tail_size)
    tail = upload.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = tail[at - 20 : at] if at >= 20 else b""
    if count == 0xFFFF and locator.startswith(b"PK\x06\x07"):
        # Zip64: the real count is in the zip64 end record the locator points to.
        offset = struct.unpack("<Q", locator[8:16])[0]
        upload.seek(offset)
        record = upload.read(56)
        if record.startswith(b"PK\x06\x06") and len(record) == 56:
            count = struct.unpack("<Q", record[32:40])[0]
    return count


def _check_entries(archive: zipfile.ZipFile, archive_size: int) -> dict[str, int]:
    """Paths, types, sizes and counts of every entry; returns the files to unpack."""
    entries = archive.infolist()
    if len(entries) > settings.H5P_MAX_FILES:
        raise _too_many_files(len(entries))
    unsafe, links, encrypted, compressed, duplicates, wrong_type, too_big, bombs = (
        [] for _i in range(8)
    )
    files: dict[str, int] = {}
    seen: set[str] = set()
    for info in entries:
        name = info.filename
        if _unsafe_path(name):
            unsafe.append(name)
            continue
        if _is_symlink(info):
            links.append(name)
            continue
        if name.rstrip("/") in seen:
            duplicates.append(name)
            continue
        seen.add(name.rstrip("/"))
        if info.is_dir() or _ignored(name):
            continue
        if info.flag_bits & 0x1:
            encrypted.append(name)
            continue
        if info.compress_type not in ALLOWED_COMPRESSION:
            compressed.append(name)
            continue
        top = name.split("/", 1)[0]
        in_library = "/" in name and top != CONTENT_FOLDER
        allowed = LIBRARY_EXTENSIONS if in_library else CONTENT_EXTENSIONS
        if _extension(name) not in allowed:
            wrong_type.append(name)
            continue
        if info.file_size > settings.H5P_MAX_FILE_BYTES:
            too_big.append(name)
            continue
        if (
            info.file_size > RATIO_CHECK_MIN_BYTES
            and info.file_size > settings.H5P_MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            bombs.append(name)
            continue
        files[name] = info.file_size

    messages = []
    if unsafe:
        messages.append(
            _(
                "These paths would write outside the package (“..”, absolute paths, "
                "backslashes or drive letters): %(names)s."
            )
            % {"names": _names(unsafe)}
        )
    if links:
        messages.append(_("Symbolic links are not allowed: %(names)s.") % {"names": _names(links)})
    if duplicates:
        messages.append(
            _("These files appear more than once: %(names)s.") % {"names": _names(duplicates)}
        )
    if encrypted:
        messages.append(
            _("Encrypted files are not allowed: %(names)s.") % {"names": _names(encrypted)}
        )
    if compressed:
        messages.append(
            _("These files use an unsupported compression method: %(names)s.")
            % {"names": _names(compressed)}
        )
    if wrong_type:
        messages.append(
            _(
                "These file types are not allowed in an H5P package: %(names)s. Allowed are "
                "the types of the H5P specification (images, audio, video, fonts, documents, "
                "JSON; JavaScript and CSS only inside library folders)."
            )
            % {"names": _names(wrong_type)}
        )
    if too_big:
        messages.append(
            _("These files are larger than %(limit)s: %(names)s.")
            % {"names": _names(too_big), "limit": _size(settings.H5P_MAX_FILE_BYTES)}
        )
    if bombs:
        messages.append(
            _(
                "These files unpack to more than %(ratio)d times their compressed size, like "
                "a zip bomb: %(names)s."
            )
            % {"names": _names(bombs), "ratio": settings.H5P_MAX_COMPRESSION_RATIO}
        )
    if messages:
        raise PackageError(messages)

    total = sum(files.values())
    if total > settings.H5P_MAX_UNPACKED_BYTES:
        raise PackageError(
            _("The package unpacks to %(size)s; at most %(limit)s is allowed.")
            % {"size": _size(total), "limit": _size(settings.H5P_MAX_UNPACKED_BYTES)}
        )
    if total > RATIO_CHECK_MIN_BYTES and total > settings.H5P_MAX_COMPRESSION_RATIO * max(
        archive_size, 1
    ):
        raise PackageError(
            _(
                "The package unpacks to more than %(ratio)d times its size (%(size)s from "
                "%(archive)s), like a zip bomb."
            )
            % {
                "ratio": settings.H5P_MAX_COMPRESSION_RATIO,
                "size": _size(total),
                "archive": _size(archive_size),
            }
        )
    return files


def _check_library(
    archive: zipfile.ZipFile, files: dict[str, int], library: re.Match[str]
) -> list[Dependency]:
    """Check one library folder (`LIBRARY_FOLDER`'s match of its name): its library.json and
    files; returns the library's dependencies."""
    folder = library.string
    machine_name, major, minor = library.groups()
    dependency = Dependency(machine_name, int(major), int(minor))
    library_json = f"{folder}/library.json"
    if library_json not in files:
        raise PackageError(
            _("The library folder “%(folder)s” has no library.json.") % {"folder": folder}
        )
    label = f"“{library_json}”"
    library = _read_json(archive, library_json, label)
    if not isinstance(library, dict):
        raise PackageError(_("%(file)s is not a JSON object.") % {"file": label})
    declared = (
        library.get("machineName"),
        _version(library.get("majorVersion")),
        _version(library.get("minorVersion")),
    )
    if declared != (dependency.machine_name, dependency.major, dependency.minor):
        raise PackageError(
            _("%(file)s does not describe the library “%(library)s”.")
            % {"file": label, "library": dependency}
        )
    if not isinstance(library.get("title"), str) or _version(library.get("patchVersion")) is None:
        raise PackageError(_("%(file)s lacks a title or a patch version.") % {"file": label})
    missing = []
    for key in ("preloadedJs", "preloadedCss"):
        assets = library.get(key, [])
        if not isinstance(assets, list) or not all(
            isinstance(a, dict) and isinstance(a.get("path"), str) for a in assets
        ):
            raise PackageError(_("%(file)s lists its files wrongly.") % {"file": label})
        for asset in assets:
            path = f"{folder}/{asset['path']}"
            if _unsafe_path(path) or path not in files:
                missing.append(path)
    if missing:
        raise PackageError(
            _("Files the library “%(library)s” needs are missing: %(names)s.")
            % {"library": dependency, "names": _names(missing)}
        )
    return _dependencies(library.get("preloadedDependencies"), label)


def validate_package(upload: IO[bytes], size: int) -> PackageInfo:
    """Check an uploaded .h5p file of `size` bytes; raise PackageError saying what is wrong.

    Nothing is written anywhere: this only reads the zip.
    """
    if size > settings.H5P_MAX_UPLOAD_BYTES:
        raise PackageError(
            _("The file is %(size)s; H5P files of at most %(limit)s are accepted.")
            % {"size": _size(size), "limit": _size(settings.H5P_MAX_UPLOAD_BYTES)}
        )
    not_a_zip = PackageError(
        _("This is not an H5P file: an .h5p file is a zip archive exported from H5P.")
    )
    count = declared_entry_count(upload, size)
    if count is None:
        raise not_a_zip
    if count > settings.H5P_MAX_FILES:
        raise _too_many_files(count)
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        raise not_a_zip from None
    with archive:
        files = _check_entries(archive, size)

        if MANIFEST not in files:
            raise PackageError(
                _(
                    "h5p.json is missing: this zip is not an H5P package (h5p.json must be at "
                    "its top level)."
                )
            )
        manifest = _read_json(archive, MANIFEST, "h5p.json")
        if not isinstance(manifest, dict):
            raise PackageError(_("%(file)s is not a JSON object.") % {"file": "h5p.json"})
        title = manifest.get("title")
        main_name = manifest.get("mainLibrary")
        if not isinstance(title, str) or not title.strip():
            raise PackageError(_("h5p.json has no title."))
        if not isinstance(main_name, str) or not main_name:
            raise PackageError(_("h5p.json does not name its main library (mainLibrary)."))
        preloaded = _dependencies(manifest.get("preloadedDependencies"), "h5p.json")
        main = next((d for d in preloaded if d.machine_name == main_name), None)
        if main is None:
            raise PackageError(
                _("h5p.json lists no preloaded dependency for its main library “%(name)s”.")
                % {"name": main_name}
            )

        if CONTENT_JSON not in files:
            raise PackageError(_("content/content.json is missing: the activity has no content."))
        content = _read_json(archive, CONTENT_JSON, "content/content.json")
        if not isinstance(content, dict):
            raise PackageError(
                _("%(file)s is not a JSON object.") % {"file": "content/content.json"}
            )

        folders = {name.split("/", 1)[0] for name in files if "/" in name} - {CONTENT_FOLDER}
        libraries = {folder: LIBRARY_FOLDER.match(folder) for folder in folders}
        unexpected = sorted(f for f, library in libraries.items() if library is None)
        if unexpected:
            raise PackageError(
                _(
                    "These folders are neither content/ nor a library folder named like "
                    "“H5P.Example-1.0”: %(names)s."
                )
                % {"names": _names(unexpected)}
            )
        needs = {
            folder: _check_library(archive, files, library)
            for folder, library in sorted(libraries.items())
            if library is not None
        }

        missing: list[str] = []
        checked: set[Dependency] = set()
        pending = list(preloaded)
        while pending:
            dependency = pending.pop()
            if dependency in checked:
                continue
            checked.add(dependency)
            if dependency.folder in needs:
                pending.extend(needs[dependency.folder])
            else:
                missing.append(str(dependency))
        if missing:
            raise PackageError(
                _(
                    "The package does not contain libraries it needs: %(names)s. Export the "
                    "activity again with its libraries included."
                )
                % {"names": _names(sorted(missing))}
            )

    return PackageInfo(title=title.strip()[:255], main_library=main, manifest=manifest, files=files)
