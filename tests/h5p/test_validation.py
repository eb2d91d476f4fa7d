"""The strict validator and safe unpacking: real packages pass, malicious ones are refused with
a clear Chinese message and leave nothing behind."""

import io
import json
import stat
import struct
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from courses.h5p import services, storage
from courses.h5p.models import H5PPackage
from courses.h5p.validation import PackageError, validate_package

from .packages import REAL_PACKAGES, manifest_of, quick_check, real_package, rebuild

pytestmark = pytest.mark.django_db

LIBRARY = "PartyMooc.QuickCheck-1.0"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def check(data: bytes):
    return validate_package(io.BytesIO(data), len(data))


def refused(data: bytes) -> str:
    """Upload `data` as a package; it must be refused, leave nothing behind; the message."""
    with pytest.raises(PackageError) as error:
        services.create_package(ContentFile(data, name="bad.h5p"), title="坏包")
    assert not H5PPackage.objects.exists()
    root = storage.content_root()
    assert not root.exists() or not any(root.iterdir()), "unpacked files were left behind"
    return " ".join(error.value.messages)


def zip_of(entries: dict[str, bytes], *, base: bytes | None = None) -> bytes:
    """The quick-check package plus `entries` (or a zip of only these when base=b"")."""
    if base == b"":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in entries.items():
                archive.writestr(name, content)
        return out.getvalue()
    return rebuild(base or quick_check(), add=entries)


# --- what must pass -------------------------------------------------------------------------


def test_our_own_content_type_passes():
    info = check(quick_check())

    assert info.title == "党章知识小测"
    assert str(info.main_library) == "PartyMooc.QuickCheck 1.0"
    assert set(info.files) == {
        "h5p.json",
        "content/content.json",
        f"{LIBRARY}/library.json",
        f"{LIBRARY}/quick-check.js",
        f"{LIBRARY}/quick-check.css",
    }


@pytest.mark.parametrize("name", REAL_PACKAGES)
def test_real_h5p_packages_pass(name):
    data = real_package(name)

    info = check(data)

    assert info.main_library.machine_name == manifest_of(data)["mainLibrary"]
    assert info.unpacked_size > 1_000_000


def test_a_valid_package_is_stored_and_unpacked():
    package = services.create_package(ContentFile(quick_check(), name="x.h5p"))

    folder = storage.content_dir(package)
    assert (folder / LIBRARY / "quick-check.js").is_file()
    assert json.loads((folder / "content" / "content.json").read_text())["correct"] == 0
    assert package.main_library == "PartyMooc.QuickCheck 1.0"
    assert package.file_count == 5 and package.unpacked_size > 0
    assert package.file.name.endswith(".h5p") and package.file.size == len(quick_check())
    assert not [p for p in storage.content_root().iterdir() if p.name.startswith(".staging")]


def test_hidden_files_and_macos_metadata_are_ignored():
    data = zip_of({"__MACOSX/._h5p.json": b"x", "content/.DS_Store": b"x"})

    package = services.create_package(ContentFile(data, name="x.h5p"))

    folder = storage.content_dir(package)
    assert not (folder / "__MACOSX").exists()
    assert not (folder / "content" / ".DS_Store").exists()


# --- malicious or broken packages ------------------------------------------------------------


def test_not_a_zip():
    assert "这不是 H5P 文件" in refused(b"<html>not a zip</html>" * 10)


@pytest.mark.parametrize(
    "name",
    [
        "../evil.json",
        "content/../../evil.json",
        "/etc/evil.json",
        "content\\..\\evil.json",
        "C:/evil.json",
    ],
)
def test_zip_slip_paths_are_refused(name):
    message = refused(zip_of({name: b"{}"}))

    assert "写到包外" in message and name in message


def test_symlink_entries_are_refused():
    info = zipfile.ZipInfo("content/link.json")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(quick_check())) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        target.writestr(info, "/etc/passwd")

    assert "符号链接" in refused(out.getvalue())


@pytest.mark.parametrize(
    "name",
    [
        "content/page.html",
        "content/shell.php",
        f"{LIBRARY}/tool.exe",
        "content/script.js",
        "content/style.css",
        "content/noextension",
        "content/old.swf",
    ],
)
def test_file_types_outside_the_allow_list_are_refused(name):
    message = refused(zip_of({name: b"x"}))

    assert "不允许以下类型的文件" in message and name in message


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    message = refused(zip_of({"content/images/bomb.png": b"\0" * (20 * 1024 * 1024)}))

    assert "压缩炸弹" in message and "bomb.png" in message


def test_size_and_count_limits_come_from_settings(settings):
    settings.H5P_MAX_FILES = 4
    assert "最多允许 4 个" in refused(quick_check())
    settings.H5P_MAX_FILES = 3000

    settings.H5P_MAX_FILE_BYTES = 500
    assert "quick-check.js" in refused(quick_check())
    settings.H5P_MAX_FILE_BYTES = 100 * 1024 * 1024

    settings.H5P_MAX_UNPACKED_BYTES = 3000
    assert "解压后为" in refused(quick_check())
    settings.H5P_MAX_UNPACKED_BYTES = 300 * 1024 * 1024

    settings.H5P_MAX_UPLOAD_BYTES = 1000
    assert "最大不能超过" in refused(quick_check())


def _lie_about_size(data: bytes, name: str, claimed: int) -> bytes:
    """Rewrite the sizes a zip's local header and central directory give for `name`."""
    buffer = bytearray(data)
    encoded = name.encode()
    local = buffer.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", buffer, local + 26)[0]
        if bytes(buffer[local + 30 : local + 30 + name_length]) == encoded:
            struct.pack_into("<I", buffer, local + 22, claimed)
        local = buffer.find(b"PK\x03\x04", local + 4)
    central = buffer.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", buffer, central + 28)[0]
        if bytes(buffer[central + 46 : central + 46 + name_length]) == encoded:
            struct.pack_into("<I", buffer, central + 24, claimed)
        central = buffer.find(b"PK\x01\x02", central + 4)
    return bytes(buffer)


def test_a_bomb_whose_headers_lie_is_stopped_while_unpacking():
    bomb = zip_of({"content/images/bomb.png": b"\0" * (8 * 1024 * 1024)})
    lying = _lie_about_size(bomb, "content/images/bomb.png", 1000)
    check(lying)  # the directory looks harmless…

    message = refused(lying)  # …but unpacking notices and stops

    assert "损坏" in message or "不符" in message


def test_too_many_entries_are_refused_before_the_directory_is_parsed(settings):
    settings.H5P_MAX_FILES = 50
    data = zip_of({f"content/images/{i}.png": b"" for i in range(60)})

    assert "最多允许 50 个" in refused(data)


def test_missing_h5p_json():
    assert "缺少 h5p.json" in refused(rebuild(quick_check(), drop={"h5p.json"}))


def test_h5p_json_that_is_not_json():
    message = refused(rebuild(quick_check(), replace={"h5p.json": b"{title: oops"}))

    assert "h5p.json 不是有效的 JSON" in message


def test_missing_content_json():
    message = refused(rebuild(quick_check(), drop={"content/content.json"}))

    assert "content/content.json" in message


def test_missing_library_folder():
    manifest = manifest_of(quick_check())
    manifest["preloadedDependencies"].append(
        {"machineName": "H5P.Question", "majorVersion": 1, "minorVersion": 4}
    )
    data = rebuild(quick_check(), replace={"h5p.json": json.dumps(manifest).encode()})

    message = refused(data)

    assert "缺少所需的库" in message and "H5P.Question 1.4" in message


def test_library_folder_without_library_json():
    message = refused(rebuild(quick_check(), drop={f"{LIBRARY}/library.json"}))

    assert "缺少 library.json" in message


def test_library_json_describing_another_library():
    library = json.loads(library_json())
    library["minorVersion"] = 2
    data = rebuild(quick_check(), replace={f"{LIBRARY}/library.json": json.dumps(library).encode()})

    assert "描述的不是库" in refused(data)


def library_json() -> bytes:
    with zipfile.ZipFile(io.BytesIO(quick_check())) as archive:
        return archive.read(f"{LIBRARY}/library.json")


def test_library_file_listed_but_missing():
    message = refused(rebuild(quick_check(), drop={f"{LIBRARY}/quick-check.js"}))

    assert "所需的文件缺失" in message and "quick-check.js" in message


def test_main_library_not_among_the_dependencies():
    manifest = manifest_of(quick_check())
    manifest["mainLibrary"] = "H5P.Other"
    data = rebuild(quick_check(), replace={"h5p.json": json.dumps(manifest).encode()})

    assert "主库“H5P.Other”" in refused(data)


def test_unexpected_top_level_folder():
    assert "既不是 content/" in refused(zip_of({"scripts/x.json": b"{}"}))


def test_duplicate_entries():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(quick_check())) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        with pytest.warns(UserWarning):
            target.writestr("content/content.json", b'{"question": "x"}')

    assert "出现了不止一次" in refused(out.getvalue())


def test_encrypted_entries():
    data = bytearray(zip_of({"content/secret.txt": b"secret"}))
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == b"content/secret.txt":
            flags = struct.unpack_from("<H", data, central + 8)[0]
            struct.pack_into("<H", data, central + 8, flags | 0x1)
        central = data.find(b"PK\x01\x02", central + 4)

    assert "加密文件" in refused(bytes(data))


def test_every_problem_found_is_reported_at_once():
    message = refused(zip_of({"../a.json": b"{}", "content/b.html": b"x"}))

    assert "写到包外" in message and "不允许以下类型的文件" in message
