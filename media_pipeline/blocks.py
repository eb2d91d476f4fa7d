"""StreamField blocks of the media pipeline, for lesson bodies (courses/blocks.py)."""

from .views.chooser import video_chooser_viewset

#: Chooses a `VideoAsset`; its value is the VideoAsset (render the player with
#: `{% include "media_pipeline/player.html" with video=value … %}`).
VideoChooserBlock = video_chooser_viewset.get_block_class(
    name="VideoChooserBlock", module_path="media_pipeline.blocks"
)
