"""Demo lecture video: made with ffmpeg (slides with Chinese titles, a soft chord) and pushed
through the real pipeline — queued after commit, transcoded by the worker `make run` starts."""

import subprocess
import tempfile
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile

from lms.accounts.models import User
from lms.orgs.models import PartyOrganization

from .models import VideoAsset, VideoCaption
from .services import enqueue_transcode

DEMO_TITLE = "示范党课：学习党章（演示视频）"
DEMO_ORGANIZATION = "DEMO"  # the committee: every demo member may watch it
FONT = "Noto Sans CJK SC"
SLIDE_SECONDS = 8
SLIDES = (
    "第一部分　党的性质和宗旨",
    "第二部分　党员的权利和义务",
    "第三部分　党的组织制度",
)
CAPTIONS = (
    "同志们好，今天我们一起学习党章。",
    "党员要履行义务，正确行使权利。",
    "坚持民主集中制，严守党的纪律。",
)


def lecture_command(path: Path) -> list[str]:
    """ffmpeg command that renders the demo lecture (720p, 25 fps, stereo AAC) to `path`."""
    seconds = SLIDE_SECONDS * len(SLIDES)
    picture = ffmpeg.input(f"color=c=0xa61b1b:s=1280x720:r=25:d={seconds}", f="lavfi")
    tone = ffmpeg.input(
        "aevalsrc=0.05*sin(2*PI*261.6*t)+0.04*sin(2*PI*329.6*t)+0.03*sin(2*PI*392*t)"
        f":s=48000:d={seconds}",
        f="lavfi",
    )
    picture = picture.drawbox(
        0, "ih-16", f"iw*t/{seconds}", 16, color="0xffd54f", thickness="fill"
    ).drawtext(
        text="示范党课：学习党章",
        font=FONT,
        fontcolor="white",
        fontsize=64,
        x="(w-text_w)/2",
        y=200,
    )
    for number, slide in enumerate(SLIDES):
        start = number * SLIDE_SECONDS
        picture = picture.drawtext(
            text=slide,
            font=FONT,
            fontcolor="0xffd54f",
            fontsize=44,
            x="(w-text_w)/2",
            y=360,
            enable=f"between(t,{start},{start + SLIDE_SECONDS})",
        )
    output = ffmpeg.output(
        picture,
        tone,
        str(path),
        vcodec="libx264",
        preset="ultrafast",
        pix_fmt="yuv420p",
        acodec="aac",
    )
    return output.global_args("-hide_banner", "-loglevel", "error").compile(
        cmd=settings.FFMPEG_BINARY, overwrite_output=True
    )


def captions_vtt() -> str:
    cues = []
    for number, text in enumerate(CAPTIONS):
        start = number * SLIDE_SECONDS
        cues.append(f"00:00:{start:02d}.500 --> 00:00:{start + SLIDE_SECONDS - 1:02d}.500\n{text}")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def build(stdout=None) -> bool:
    if VideoAsset.objects.filter(title=DEMO_TITLE).exists():
        return False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lecture.mp4"
        subprocess.run(lecture_command(path), check=True, timeout=300)  # noqa: S603
        with path.open("rb") as handle:
            video = VideoAsset.objects.create(
                title=DEMO_TITLE,
                original=File(handle, name="示范党课.mp4"),
                organization=PartyOrganization.objects.filter(code=DEMO_ORGANIZATION).first(),
                uploaded_by=User.objects.filter(username="trainer").first(),
            )
    caption = VideoCaption(video=video, language=VideoCaption.Language.CHINESE)
    caption.file = ContentFile(captions_vtt().encode("utf-8"), name="示范党课.vtt")
    caption.save()
    enqueue_transcode(video)
    if stdout is not None:
        stdout.write(f"  demo video {video.pk} queued; the worker transcodes it in about a minute")
    return True


def demo_video() -> VideoAsset:
    """The demo lecture video (ready once the worker has transcoded it)."""
    return VideoAsset.objects.get(title=DEMO_TITLE)
