"""StreamField block for lessons: choose an H5P activity, render its isolated player."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock


class H5PChooserBlock(SnippetChooserBlock):
    """An H5P activity in a lesson body; rendered with `h5p/player.html`."""

    def __init__(self, **kwargs) -> None:
        super().__init__("h5p.H5PPackage", **kwargs)

    class Meta:
        icon = "form"
        label = _("H5P activity")
        template = "h5p/blocks/h5p_activity.html"
