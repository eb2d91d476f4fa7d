"""Serving a video segment: signed through nginx and through Django, as ratios to nginx serving
the same file unsigned, measured in one run with wrk (Debian's `wrk` package).

Transcodes an 8-second clip with the real pipeline into a scratch MEDIA_ROOT, writes the nginx
config of `manage.py media_nginx_config` (plus an unsigned location for the baseline), starts
Debian's nginx with it and the site on gunicorn (2 workers, SERVE_MEDIA on), then runs wrk for
BENCH_SECONDS against one segment's URL on each: nginx unsigned, nginx signed (secure_link),
Django signed. Prints requests/s and the ratios (goal: signed nginx ≥ 0.9 of unsigned).

    .venv/bin/python bench/media/run.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-media")

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def transcoded_segment() -> tuple[str, str]:
    """(signed URL path, plain path under MEDIA_ROOT) of the first 360p-or-so segment."""
    from django.core.files import File

    from media_pipeline import delivery, pipeline
    from media_pipeline.ffmpeg import parse_media_playlist
    from media_pipeline.models import VideoAsset

    clip = Path(tempfile.mkdtemp()) / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=8",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )  # fmt: skip
    with clip.open("rb") as handle:
        video = VideoAsset.objects.create(title="基准", original=File(handle, name="clip.mp4"))
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    folder = Path(pipeline.settings.MEDIA_ROOT) / video.output_path
    variant = sorted(folder.glob("*/index.m3u8"))[0]
    segment = parse_media_playlist(variant.read_text()).segments[0][1]
    name = f"{variant.parent.name}/{segment}"
    return delivery.signed_url(video.output_path, name), f"{video.output_path}/{name}"


def wrk(url: str) -> float:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"errors from {url}:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    from django.conf import settings

    from tests.media_pipeline.nginx_server import running_nginx

    signed, plain = transcoded_segment()
    size = (Path(settings.MEDIA_ROOT) / plain).stat().st_size
    folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    with running_nginx(folder, Path(settings.MEDIA_ROOT), unsigned_location="/plain/") as nginx:
        unsigned_rps = wrk(f"{nginx}/plain/{plain}")
        signed_rps = wrk(f"{nginx}{signed}")
    with harness.gunicorn() as port:
        wrk(f"http://127.0.0.1:{port}{signed}")  # warm up: each worker loads the site
        django_rps = wrk(f"http://127.0.0.1:{port}{signed}")
    print(
        f"segment of {size / 1024:.0f} KiB, wrk 2 threads × {CONNECTIONS} connections, {SECONDS} s"
    )
    for label, rps in (("nginx, unsigned", unsigned_rps), ("nginx, signed", signed_rps)):
        print(f"{label:24}{rps:9.0f} requests/s   ratio {rps / unsigned_rps:.2f}")
    label = "Django (gunicorn × 2)"
    print(f"{label:24}{django_rps:9.0f} requests/s   ratio {django_rps / unsigned_rps:.3f}")


if __name__ == "__main__":
    main()
