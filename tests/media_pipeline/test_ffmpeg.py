"""The pure command-building and parsing functions (no ffmpeg run, no database)."""

from fractions import Fraction

import pytest

from media_pipeline import captions
from media_pipeline import ffmpeg as f


def _probe(*streams, duration="12.5"):
    return {"format": {"duration": duration}, "streams": list(streams)}


def _video(width=1920, height=1080, index=0, **extra):
    return {
        "index": index,
        "codec_type": "video",
        "codec_name": "h264",
        "width": width,
        "height": height,
        "avg_frame_rate": "30/1",
        **extra,
    }


AUDIO = {"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 2}


def test_rotation_from_the_display_matrix_or_the_old_tag_makes_the_picture_portrait():
    matrix = _video(side_data_list=[{"side_data_type": "Display Matrix", "rotation": -90}])
    tagged = _video(tags={"rotate": "90"})

    for stream in (matrix, tagged):
        info = f.parse_probe(_probe(stream, AUDIO))
        assert (info.width, info.height) == (1080, 1920)
        assert info.rotation in (90, 270)


def test_anamorphic_pixels_are_widened():
    info = f.parse_probe(_probe(_video(720, 576, sample_aspect_ratio="64:45"), AUDIO))

    assert (info.width, info.height) == (1024, 576)


def test_cover_art_is_not_a_video_stream():
    cover = _video(600, 600, disposition={"attached_pic": 1})
    info = f.parse_probe(_probe({**AUDIO, "index": 0}, {**cover, "index": 1}))

    assert not info.has_video
    assert info.has_audio


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (_probe({"index": 0, "codec_type": "subtitle"}), "no_streams"),
        (_probe(), "no_streams"),
        (_probe(_video(), duration="0.1"), "too_short"),
        ({"format": {}, "streams": [_video()]}, "too_short"),
    ],
)
def test_nothing_to_play_is_refused(data, code):
    with pytest.raises(f.UnplayableMedia) as refused:
        f.parse_probe(data)

    assert refused.value.code == code


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (Fraction(60), Fraction(30)),
        (Fraction(50), Fraction(25)),
        (Fraction(60000, 1001), Fraction(30000, 1001)),
        (Fraction(30000, 1001), Fraction(30000, 1001)),
        (Fraction(30), Fraction(30)),
        (Fraction(296, 10), Fraction(30)),  # variable-rate phone video
        (Fraction(24), Fraction(24)),
        (Fraction(120), Fraction(30)),
        (Fraction(10), Fraction(10)),
        (None, Fraction(30)),
    ],
)
def test_output_frame_rate_is_constant_and_at_most_thirty(source, expected):
    assert f.output_frame_rate(source, 30) == expected


def test_ladder_never_goes_above_the_source_and_follows_the_short_side():
    ladder = ((1080, 4500), (720, 2500), (480, 1000), (360, 600))

    four_k = f.ladder_for(3840, 2160, ladder)
    portrait = f.ladder_for(1080, 1920, ladder)
    between = f.ladder_for(1280, 600, ladder)
    tiny = f.ladder_for(321, 241, ladder)

    assert [(r.width, r.height) for r in four_k] == [
        (1920, 1080),
        (1280, 720),
        (854, 480),
        (640, 360),
    ]
    assert [(r.width, r.height) for r in portrait][:2] == [(1080, 1920), (720, 1280)]
    assert [r.name for r in between] == ["480p", "360p"]
    assert [(r.width, r.height, r.max_kbps) for r in tiny] == [(320, 240, 600)]
    assert all(r.width % 2 == 0 and r.height % 2 == 0 for r in four_k + portrait + tiny)


def _plan(width=1280, height=720, audio=True):
    info = f.SourceInfo(
        duration=60.0,
        video_index=0,
        audio_index=1 if audio else None,
        width=width,
        height=height,
        frame_rate=Fraction(30),
    )
    return f.plan_transcode(info, f.EncoderSettings())


def test_one_command_decodes_once_and_encodes_every_rung_with_the_same_gop():
    plan = _plan()
    command = f.build_command("/uploads/lecture.mp4", plan)

    assert command.count("-i") == 1
    assert command.count("-filter_complex") == 1
    graph = command[command.index("-filter_complex") + 1]
    assert "split=5" in graph  # 3 rungs + poster + sprite
    assert graph.count("fps=fps=30") == 1
    assert command[command.index("-g") + 1] == command[command.index("-keyint_min") + 1] == "60"
    assert command[command.index("-sc_threshold") + 1] == "0"
    stream_map = command[command.index("-var_stream_map") + 1]
    assert stream_map == (
        "a:0,agroup:audio,name:audio v:0,agroup:audio,name:720p "
        "v:1,agroup:audio,name:480p v:2,agroup:audio,name:360p"
    )
    assert command[command.index("-maxrate:v:2") + 1] == "600k"
    assert "poster.jpg" in command
    assert "thumbs/sprite_%03d.jpg" in command
    assert command[command.index("-progress") + 1] == "pipe:1"


def test_interlaced_sources_are_deinterlaced_before_the_split():
    interlaced = f.parse_probe(_probe(_video(field_order="tt"), AUDIO))
    progressive = f.parse_probe(_probe(_video(field_order="progressive"), AUDIO))

    plan = f.plan_transcode(interlaced, f.EncoderSettings())
    graph = f.build_command("/x.mts", plan)[4]

    assert interlaced.interlaced and not progressive.interlaced
    assert graph.index("bwdif=") < graph.index("fps=") < graph.index("split=")
    assert "bwdif" not in f.build_command("/x.mp4", _plan())[4]


def test_audio_only_and_silent_plans():
    silent = f.build_command("/x.mp4", _plan(audio=False))
    audio_only = f.plan_transcode(f.SourceInfo(duration=30.0, audio_index=0), f.EncoderSettings())
    audio_command = f.build_command("/x.m4a", audio_only)

    assert "agroup" not in silent[silent.index("-var_stream_map") + 1]
    assert "-c:a" not in silent
    assert audio_command[audio_command.index("-var_stream_map") + 1] == "a:0,name:audio"
    assert "showwavespic" in audio_command[audio_command.index("-filter_complex") + 1]
    assert "libx264" not in audio_command


def test_thumbnail_index_points_into_the_sprite():
    plan = _plan()  # 60 s: a thumbnail every 3 s, 160×90, 10×10 per sheet

    vtt = f.thumbnails_vtt(plan, frames=1800)

    cues = vtt.split("\n\n")[1:]
    assert len([c for c in cues if c.strip()]) == 20
    assert cues[0] == "00:00:00.000 --> 00:00:03.000\nthumbs/sprite_001.jpg#xywh=1440,810,160,90"
    assert cues[1] == "00:00:03.000 --> 00:00:06.000\nthumbs/sprite_002.jpg#xywh=0,0,160,90"
    assert cues[11].startswith("00:00:33.000 --> 00:00:36.000\nthumbs/sprite_002.jpg#xywh=0,90,")


def test_master_and_media_playlists_are_read():
    master = f.parse_master_playlist(
        '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=105600,CODECS="mp4a.40.2"\naudio/index.m3u8\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=2750000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"'
        "\n720p/index.m3u8\n"
    )
    media = f.parse_media_playlist(
        '#EXTM3U\n#EXT-X-MAP:URI="init_1.mp4"\n#EXTINF:4.000,\nseg_00000.m4s\n'
        "#EXTINF:2.5,\nseg_00001.m4s\n#EXT-X-ENDLIST\n"
    )

    assert master[1] == {
        "uri": "720p/index.m3u8",
        "bandwidth": 2750000,
        "width": 1280,
        "height": 720,
        "codecs": "avc1.64001f,mp4a.40.2",
    }
    assert master[0]["height"] is None
    assert (media.init, media.duration, media.ended) == ("init_1.mp4", 6.5, True)


def test_srt_in_gb18030_becomes_webvtt():
    srt = "1\r\n00:01:02,5 --> 00:01:04,250\r\n<font color=red>学习党章</font>\r\n\r\n"

    assert captions.to_webvtt(srt.encode("gb18030")) == (
        "WEBVTT\n\n00:01:02.500 --> 00:01:04.250\n学习党章\n"
    )


def test_webvtt_keeps_cue_settings_and_drops_notes():
    vtt = "WEBVTT\n\nNOTE 讲稿\n\n01:02.000 --> 01:03.000 align:start\n第一句\n"

    assert captions.to_webvtt(vtt.encode()) == (
        "WEBVTT\n\n00:01:02.000 --> 00:01:03.000 align:start\n第一句\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "just some notes",
        "1\n00:00:05,000 --> 00:00:01,000\n倒着的字幕\n",
        "1\n00:00:99,000 --> x\n",
    ],
)
def test_bad_caption_files_are_refused(text):
    with pytest.raises(captions.CaptionError):
        captions.to_webvtt(text.encode())
