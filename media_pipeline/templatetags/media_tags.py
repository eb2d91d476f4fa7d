"""`{% video_playback video as playback %}`: the signed URLs `media_pipeline/player.html` plays
(None until the video is ready). Use it only where the page has decided the viewer may watch
(an enrolled member's lesson, a trainer's preview): it signs, it does not judge."""

from django import template

from ..delivery import VideoPlayback
from ..delivery import video_playback as signed_playback
from ..models import VideoAsset

register = template.Library()


@register.simple_tag
def video_playback(video: VideoAsset) -> VideoPlayback | None:
    return signed_playback(video)
