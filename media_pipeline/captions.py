"""Caption files: a trainer uploads SubRip (.srt) or WebVTT (.vtt); we keep WebVTT only.

`to_webvtt` is pure (bytes in, text out) so tests call it directly; `replace_with_webvtt` is what
the caption model's `clean()` runs on a fresh upload.
"""

import posixpath
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_CAPTION_BYTES = 2 * 1024 * 1024
_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?P<settings>.*)$"
)


class CaptionError(ValueError):
    """A caption file we cannot use; the message says why, in the user's language."""


def _decode(data: bytes) -> str:
    # Chinese subtitle files are often saved by Windows tools as GB18030 (GBK) or UTF-16.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CaptionError(_("The caption file is not text in UTF-8 or GB18030."))


def _timestamp(value: str) -> str:
    """SRT `00:01:02,5` or VTT `01:02.500` → VTT `00:01:02.500`."""
    clock, _sep, fraction = value.replace(",", ".").partition(".")
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    if minutes > 59 or seconds > 59:
        raise CaptionError(_("Invalid time %(time)s in the caption file.") % {"time": value})
    millis = int((fraction + "000")[:3])
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _seconds(vtt_timestamp: str) -> float:
    hours, minutes, rest = vtt_timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def to_webvtt(data: bytes) -> str:
    """Convert an SRT or WebVTT file to clean WebVTT; raises CaptionError if it has no cues."""
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    if blocks and blocks[0].lstrip("\ufeff").startswith("WEBVTT"):
        blocks = blocks[1:]
    cues = []
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing_at is None:
            continue
        match = _TIMING.match(lines[timing_at])
        if match is None:
            raise CaptionError(
                _("Cannot read the timing line “%(line)s”.") % {"line": lines[timing_at].strip()}
            )
        start, end = _timestamp(match["start"]), _timestamp(match["end"])
        if _seconds(end) < _seconds(start):
            raise CaptionError(
                _("A caption ends before it starts (%(start)s --> %(end)s).")
                % {"start": start, "end": end}
            )
        payload = [line for line in lines[timing_at + 1 :] if line.strip()]
        if not payload:
            continue
        # SRT tags like <font> are not WebVTT; <b>, <i>, <u> are common to both.
        cleaned = [re.sub(r"</?font[^>]*>", "", line) for line in payload]
        cues.append(f"{start} --> {end}{match['settings'].rstrip()}\n" + "\n".join(cleaned))
    if not cues:
        raise CaptionError(_("The caption file contains no captions (.srt or .vtt expected)."))
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def replace_with_webvtt(caption) -> None:
    """Validate a newly uploaded caption file and swap it for its WebVTT version."""
    upload = caption.file
    if not upload or getattr(upload, "_committed", True):
        return
    name = posixpath.basename(upload.name or "captions")
    stem, ext = posixpath.splitext(name)
    if ext.lower() not in (".srt", ".vtt"):
        raise ValidationError({"file": _("Upload a caption file in .srt or .vtt format.")})
    if upload.size > MAX_CAPTION_BYTES:
        raise ValidationError({"file": _("The caption file is larger than 2 MB.")})
    upload.seek(0)
    try:
        vtt = to_webvtt(upload.read())
    except CaptionError as exc:
        raise ValidationError({"file": str(exc)}) from None
    caption.file = ContentFile(vtt.encode("utf-8"), name=f"{stem}.vtt")
