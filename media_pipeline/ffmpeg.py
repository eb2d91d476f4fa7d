"""ffprobe/ffmpeg command lines of the media pipeline and parsers for what they print.

Everything here is a plain function of its arguments — no database, no Celery, no settings —
so tests call it directly. `pipeline.py` runs the commands and keeps the state.

The transcode is ONE ffmpeg process: the source is decoded once, turned into a constant frame
rate, split, and every branch is encoded in the same run — each rung of the HLS ladder, the
poster and the thumbnail sprite. All renditions see the same frames and use the same fixed GOP
with scene-cut keyframes off, so their keyframes (and segment boundaries) fall on the same
frames and a player can switch between them at any segment.
"""

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction

import ffmpeg

MASTER_PLAYLIST = "master.m3u8"
POSTER = "poster.jpg"
THUMBNAILS_VTT = "thumbnails.vtt"
SPRITE_PATTERN = "thumbs/sprite_%03d.jpg"
AUDIO_VARIANT = "audio"
AUDIO_POSTER_SECONDS = 30
# Common frame rates an odd measured rate is snapped to (NTSC rates keep their exact value).
STANDARD_RATES = (Fraction(24000, 1001), Fraction(30000, 1001), Fraction(60000, 1001))
MIN_DURATION_SECONDS = 0.5
# Camera files (AVCHD .mts, broadcast recordings) are often interlaced: top or bottom field first.
INTERLACED_FIELD_ORDERS = ("tt", "bb", "tb", "bt")
# A transcode whose playlists hold less than this share of the probed duration read a
# truncated source.
COMPLETE_SHARE = 0.9


class UnplayableMedia(Exception):
    """The source cannot become a lecture video; `code` says why (see pipeline.FAILURES)."""

    def __init__(self, code: str, detail: str = "", **params) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params


# --- probing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceInfo:
    """What the pipeline needs to know about an upload, as ffprobe saw it."""

    duration: float
    video_index: int | None = None
    audio_index: int | None = None
    width: int = 0  # as displayed: rotation and pixel aspect ratio applied
    height: int = 0
    frame_rate: Fraction | None = None
    rotation: int = 0
    interlaced: bool = False
    video_codec: str = ""
    audio_codec: str = ""

    @property
    def has_video(self) -> bool:
        return self.video_index is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_index is not None


def probe_command(source: str, ffprobe: str = "ffprobe") -> list[str]:
    return [
        ffprobe,
        "-v",
        "error",
        "-show_format",
        "-show_streams",
        "-of",
        "json",
        source,
    ]


def _fraction(value: str | None) -> Fraction | None:
    if not value or "/" not in value:
        return None
    num, _sep, den = value.partition("/")
    try:
        num_i, den_i = int(num), int(den)
    except ValueError:
        return None
    if num_i <= 0 or den_i <= 0:
        return None
    return Fraction(num_i, den_i)


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rotation_of(stream: dict) -> int:
    """Clockwise-free rotation (0, 90, 180, 270) from the display matrix or the old tag."""
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            return round(float(side_data["rotation"]) / 90) * 90 % 360
    tag = (stream.get("tags") or {}).get("rotate")
    if tag is not None and _float(tag) is not None:
        return round(float(tag) / 90) * 90 % 360
    return 0


def parse_probe(data: dict) -> SourceInfo:
    """Read ffprobe's JSON; raise UnplayableMedia when there is nothing to play."""
    streams = data.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
            and s.get("width")
            and s.get("height")
        ),
        None,
    )
    audio = next((s for s in streams if s.get("codec_type") == "audio" and s.get("channels")), None)
    if video is None and audio is None:
        raise UnplayableMedia("no_streams")
    duration = _float((data.get("format") or {}).get("duration"))
    if duration is None:
        known = [_float(s.get("duration")) for s in (video, audio) if s is not None]
        duration = max((d for d in known if d is not None), default=None)
    if duration is None or duration < MIN_DURATION_SECONDS:
        raise UnplayableMedia("too_short")
    if video is None:
        return SourceInfo(
            duration=duration, audio_index=audio["index"], audio_codec=audio.get("codec_name", "")
        )
    width, height = int(video["width"]), int(video["height"])
    aspect = _fraction((video.get("sample_aspect_ratio") or "").replace(":", "/"))
    if aspect is not None and aspect != 1:
        width = round(width * aspect)
    rotation = rotation_of(video)
    if rotation in (90, 270):
        width, height = height, width
    rate = _fraction(video.get("avg_frame_rate")) or _fraction(video.get("r_frame_rate"))
    return SourceInfo(
        duration=duration,
        video_index=video["index"],
        audio_index=audio["index"] if audio is not None else None,
        width=width,
        height=height,
        frame_rate=rate,
        rotation=rotation,
        interlaced=video.get("field_order") in INTERLACED_FIELD_ORDERS,
        video_codec=video.get("codec_name", ""),
        audio_codec=audio.get("codec_name", "") if audio is not None else "",
    )


# --- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    """One rung of the ladder as it will be encoded."""

    name: str
    width: int
    height: int
    max_kbps: int

    @property
    def bufsize_kbps(self) -> int:
        return self.max_kbps * 2


@dataclass(frozen=True)
class EncoderSettings:
    """The knobs from Django settings, passed in so this module stays settings-free."""

    ladder: tuple[tuple[int, int], ...] = ((1080, 4500), (720, 2500), (480, 1000), (360, 600))
    audio_kbps: int = 96
    crf: int = 23
    preset: str = "veryfast"
    max_fps: int = 30
    segment_seconds: int = 4
    keyframe_seconds: int = 2
    thumbnail_size: int = 160
    thumbnail_columns: int = 10
    thumbnail_rows: int = 10
    poster_short_side: int = 720


@dataclass(frozen=True)
class TranscodePlan:
    """Everything the ffmpeg command is built from; equal plans give identical output."""

    duration: float
    video_index: int | None
    audio_index: int | None
    renditions: tuple[Rendition, ...]
    frame_rate: Fraction | None
    gop_frames: int
    audio_kbps: int
    crf: int
    preset: str
    segment_seconds: int
    poster_frame: int = 0
    poster_size: tuple[int, int] = (0, 0)
    thumbnail_step_frames: int = 0
    thumbnail_size: tuple[int, int] = (0, 0)
    tile: tuple[int, int] = (10, 10)
    poster_audio_size: tuple[int, int] = (1280, 720)
    deinterlace: bool = False

    @property
    def has_video(self) -> bool:
        return bool(self.renditions)

    @property
    def has_audio(self) -> bool:
        return self.audio_index is not None

    @property
    def expected_frames(self) -> int:
        if self.frame_rate is None:
            return 0
        return max(1, math.ceil(self.duration * self.frame_rate))

    def fingerprint(self, source_name: str) -> str:
        """Stable digest of the source's stored name and the plan: the published folder's name
        (the same for a job that runs again; not guessable from the video's id)."""
        data = asdict(self)
        data["frame_rate"] = str(self.frame_rate)
        data["source"] = source_name
        encoded = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def even(value: float) -> int:
    """Nearest even number ≥ 2 (H.264 in 4:2:0 needs even sizes)."""
    return max(2, round(value / 2) * 2)


def output_frame_rate(rate: Fraction | None, max_fps: int) -> Fraction:
    """A constant output rate: the source's, divided down under `max_fps` (60 → 30, 50 → 25),
    snapped to a whole or NTSC rate (variable-rate phone video reports e.g. 29.6)."""
    if rate is None or rate <= 0:
        return Fraction(max_fps)
    divisor = max(1, math.ceil(rate / max_fps - Fraction(1, 100)))
    rate = rate / divisor
    for standard in STANDARD_RATES:
        if abs(rate - standard) / standard < Fraction(1, 5000):
            return standard
    return Fraction(max(1, min(max_fps, round(rate))))


def ladder_for(width: int, height: int, ladder: Iterable[tuple[int, int]]) -> list[Rendition]:
    """The rungs at or below the source's short side, sized to its aspect ratio; a source
    smaller than every rung gets one rendition at its own (even) size."""
    rungs = sorted(ladder, reverse=True)
    short, long = min(width, height), max(width, height)
    chosen = [(side, kbps) for side, kbps in rungs if side <= short]
    if not chosen:
        chosen = [(short, rungs[-1][1])]
    renditions = []
    for side, kbps in chosen:
        short_px = even(side)
        long_px = even(side * long / short)
        w, h = (long_px, short_px) if width >= height else (short_px, long_px)
        renditions.append(Rendition(name=f"{short_px}p", width=w, height=h, max_kbps=kbps))
    return renditions


def plan_transcode(info: SourceInfo, settings: EncoderSettings) -> TranscodePlan:
    common = {
        "duration": info.duration,
        "video_index": info.video_index,
        "audio_index": info.audio_index,
        "audio_kbps": settings.audio_kbps,
        "crf": settings.crf,
        "preset": settings.preset,
        "segment_seconds": settings.segment_seconds,
    }
    if not info.has_video:
        return TranscodePlan(renditions=(), frame_rate=None, gop_frames=0, **common)
    renditions = ladder_for(info.width, info.height, settings.ladder)
    rate = output_frame_rate(info.frame_rate, settings.max_fps)
    total_frames = max(1, math.ceil(info.duration * rate))
    poster_rendition = next(
        (r for r in renditions if min(r.width, r.height) <= settings.poster_short_side),
        renditions[-1],
    )
    # Thumbnails every 1–5 s: about 20 for a short clip, one per 5 s for a long lecture.
    interval = max(1, min(5, math.ceil(info.duration / 20)))
    size = settings.thumbnail_size
    if info.width >= info.height:
        thumb = (even(size), even(size * info.height / info.width))
    else:
        thumb = (even(size * info.width / info.height), even(size))
    return TranscodePlan(
        renditions=tuple(renditions),
        frame_rate=rate,
        gop_frames=max(1, round(settings.keyframe_seconds * rate)),
        poster_frame=min(total_frames - 1, int(min(info.duration * 0.1, 10) * rate)),
        poster_size=(poster_rendition.width, poster_rendition.height),
        thumbnail_step_frames=max(1, round(interval * rate)),
        thumbnail_size=thumb,
        tile=(settings.thumbnail_columns, settings.thumbnail_rows),
        deinterlace=info.interlaced,
        **common,
    )


# --- the one ffmpeg command -----------------------------------------------------------------


def variant_stream_map(plan: TranscodePlan) -> str:
    """`-var_stream_map`: the audio is encoded once and shared by every video rung."""
    group = ",agroup:audio" if plan.has_audio and plan.has_video else ""
    entries = [f"a:0{group},name:{AUDIO_VARIANT}"] if plan.has_audio else []
    entries += [f"v:{i}{group},name:{r.name}" for i, r in enumerate(plan.renditions)]
    return " ".join(entries)


def build_command(source: str, plan: TranscodePlan, ffmpeg_binary: str = "ffmpeg") -> list[str]:
    """The whole transcode as one command; run it with the output folder as working directory
    (every output path is relative, so playlists hold relative URIs)."""
    source_node = ffmpeg.input(source)
    hls_streams = []
    extra_outputs = []
    hls_options: dict[str, object] = {}
    audio = None
    if plan.has_audio:
        audio = (
            source_node[str(plan.audio_index)]
            # Fill gaps and drop overlaps so audio stays in step with the constant-rate video.
            .filter("aresample", 48000, **{"async": 1, "first_pts": 0})
            .filter("aformat", channel_layouts="mono|stereo")
        )
    if plan.has_video:
        picture = source_node[str(plan.video_index)]
        if plan.deinterlace:
            # Only frames flagged interlaced are touched; one frame out per frame in.
            picture = picture.filter("bwdif", mode="send_frame", deint="interlaced")
        branches = picture.filter("fps", fps=str(plan.frame_rate)).filter_multi_output(
            "split", len(plan.renditions) + 2
        )
        for i, rendition in enumerate(plan.renditions):
            hls_streams.append(
                branches[i].filter("scale", rendition.width, rendition.height).filter("setsar", 1)
            )
            hls_options[f"crf:v:{i}"] = plan.crf
            hls_options[f"maxrate:v:{i}"] = f"{rendition.max_kbps}k"
            hls_options[f"bufsize:v:{i}"] = f"{rendition.bufsize_kbps}k"
        poster_w, poster_h = plan.poster_size
        poster = (
            branches[len(plan.renditions)]
            .filter("select", f"eq(n,{plan.poster_frame})")
            .filter("scale", poster_w, poster_h)
            .filter("setsar", 1)
        )
        thumb_w, thumb_h = plan.thumbnail_size
        columns, rows = plan.tile
        # `tile` emits a sheet only once it is full, and ffmpeg prints no progress until every
        # output has started: the first sheet is padded so that it comes out at once (it holds
        # only the first thumbnail, in its last cell; see thumbnail_cell).
        sprite = (
            branches[len(plan.renditions) + 1]
            .filter("select", f"not(mod(n,{plan.thumbnail_step_frames}))")
            .filter("scale", thumb_w, thumb_h)
            .filter("setsar", 1)
            .filter("tile", f"{columns}x{rows}", init_padding=columns * rows - 1)
            .filter("setpts", "N/FRAME_RATE/TB")
        )
        extra_outputs.append(
            ffmpeg.output(
                poster, POSTER, **{"frames:v": 1, "update": 1, "q:v": 3, "fps_mode": "passthrough"}
            )
        )
        extra_outputs.append(
            ffmpeg.output(sprite, SPRITE_PATTERN, **{"q:v": 5, "fps_mode": "passthrough"})
        )
        hls_options.update(
            {
                "c:v": "libx264",
                "preset": plan.preset,
                "pix_fmt": "yuv420p",
                "g": plan.gop_frames,
                "keyint_min": plan.gop_frames,
                "sc_threshold": 0,
                # x264's threaded lookahead lets thread timing change frame decisions; without
                # it a job that runs again publishes byte-identical files.
                "x264-params": "sync-lookahead=0",
                "flags:v": "+bitexact",
            }
        )
    if audio is not None:
        if plan.has_video:
            hls_streams.append(audio)
        else:
            split = audio.filter_multi_output("asplit", 2)
            hls_audio, for_poster = split[0], split[1]
            hls_streams.append(hls_audio)
            width, height = plan.poster_audio_size
            # The waveform of the first half minute: showwavespic draws at the end of its input,
            # and ffmpeg reports no progress before every output has started.
            wave = for_poster.filter("atrim", 0, AUDIO_POSTER_SECONDS).filter(
                "showwavespic", s=f"{width}x{height}", colors="0xd32f2f", split_channels=0
            )
            extra_outputs.append(ffmpeg.output(wave, POSTER, **{"frames:v": 1, "update": 1}))
        hls_options.update({"c:a": "aac", "b:a": f"{plan.audio_kbps}k", "flags:a": "+bitexact"})
    hls = ffmpeg.output(
        *hls_streams,
        "%v/index.m3u8",
        format="hls",
        hls_time=plan.segment_seconds,
        hls_playlist_type="vod",
        hls_segment_type="fmp4",
        hls_flags="independent_segments",
        hls_segment_filename="%v/seg_%05d.m4s",
        hls_fmp4_init_filename="init.mp4",
        master_pl_name=MASTER_PLAYLIST,
        var_stream_map=variant_stream_map(plan),
        map_metadata=-1,
        map_chapters=-1,
        fflags="+bitexact",
        max_muxing_queue_size=4096,
        **hls_options,
    )
    graph = ffmpeg.merge_outputs(hls, *extra_outputs).global_args(
        "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats"
    )
    return graph.compile(cmd=ffmpeg_binary, overwrite_output=True)


def output_folders(plan: TranscodePlan) -> list[str]:
    """Folders ffmpeg expects to exist before it starts (it does not create them)."""
    folders = [r.name for r in plan.renditions]
    if plan.has_audio:
        folders.insert(0, AUDIO_VARIANT)
    if plan.has_video:
        folders.append("thumbs")
    return folders


# --- progress -------------------------------------------------------------------------------


class ProgressReader:
    """Parses `-progress` output: key=value lines, each block closed by `progress=…`."""

    def __init__(self) -> None:
        self._block: dict[str, str] = {}
        self.last: dict[str, str] = {}

    def feed(self, line: str) -> dict[str, str] | None:
        """Add one line; returns the finished block when this line closes one."""
        key, sep, value = line.strip().partition("=")
        if not sep:
            return None
        self._block[key] = value
        if key != "progress":
            return None
        self.last, self._block = self._block, {}
        return self.last


def frames_done(block: dict[str, str]) -> int:
    try:
        return int(block.get("frame", "0"))
    except ValueError:
        return 0


def seconds_done(block: dict[str, str]) -> float:
    try:
        return max(0.0, int(block.get("out_time_us", "0")) / 1_000_000)
    except ValueError:
        return 0.0


def progress_percent(block: dict[str, str], plan: TranscodePlan) -> int:
    """0–99 while ffmpeg runs (100 is for the published result).

    With video, frames of the first rendition count (the sprite's few tiled frames carry
    timestamps far ahead and would make the time jump); an audio lecture counts time.
    """
    if plan.has_video:
        share = frames_done(block) / plan.expected_frames
    else:
        share = seconds_done(block) / plan.duration
    return max(0, min(99, int(share * 100)))


# --- what ffmpeg wrote ----------------------------------------------------------------------


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def thumbnails_vtt(plan: TranscodePlan, frames: int) -> str:
    """WebVTT index of the sprite: one cue per thumbnail, pointing at its tile (`#xywh=`)."""
    step = plan.thumbnail_step_frames
    width, height = plan.thumbnail_size
    count = max(1, math.ceil(frames / step))
    cues = ["WEBVTT", ""]
    for k in range(count):
        start = k * step / plan.frame_rate
        end = min((k + 1) * step / plan.frame_rate, plan.duration)
        if start >= plan.duration:
            break
        sheet, column, row = thumbnail_cell(k, plan.tile)
        name = SPRITE_PATTERN % (sheet + 1)
        cues.append(f"{vtt_time(float(start))} --> {vtt_time(float(end))}")
        cues.append(f"{name}#xywh={column * width},{row * height},{width},{height}")
        cues.append("")
    return "\n".join(cues)


def thumbnail_cell(index: int, tile: tuple[int, int]) -> tuple[int, int, int]:
    """(sheet, column, row) of thumbnail `index`; the first sheet is padded so that thumbnail 0
    sits in its last cell and the second sheet starts with thumbnail 1."""
    columns, rows = tile
    sheet, position = divmod(index + columns * rows - 1, columns * rows)
    row, column = divmod(position, columns)
    return sheet, column, row


_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def parse_master_playlist(text: str) -> list[dict]:
    """Variants of a master playlist: uri, bandwidth, width, height, codecs."""
    variants = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if not line.startswith("#EXT-X-STREAM-INF:") or i + 1 >= len(lines):
            continue
        attributes = {k: v.strip('"') for k, v in _ATTRIBUTE.findall(line.split(":", 1)[1])}
        width, _x, height = attributes.get("RESOLUTION", "").partition("x")
        variants.append(
            {
                "uri": lines[i + 1],
                "bandwidth": int(attributes.get("BANDWIDTH", 0)),
                "width": int(width) if width else None,
                "height": int(height) if height else None,
                "codecs": attributes.get("CODECS", ""),
            }
        )
    return variants


@dataclass
class MediaPlaylist:
    init: str | None
    segments: list[tuple[float, str]]
    ended: bool

    @property
    def duration(self) -> float:
        return sum(d for d, _uri in self.segments)


def parse_media_playlist(text: str) -> MediaPlaylist:
    init = None
    segments: list[tuple[float, str]] = []
    pending: float | None = None
    ended = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-MAP:"):
            match = re.search(r'URI="([^"]+)"', line)
            init = match.group(1) if match else None
        elif line.startswith("#EXTINF:"):
            pending = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line == "#EXT-X-ENDLIST":
            ended = True
        elif line and not line.startswith("#") and pending is not None:
            segments.append((pending, line))
            pending = None
    return MediaPlaylist(init=init, segments=segments, ended=ended)
