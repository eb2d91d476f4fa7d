"""The blocks a lesson body is built from, each defined once with its own template
(themes/templates/courses/blocks/<name>.html)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from courses.h5p.blocks import H5PChooserBlock
from media_pipeline.blocks import VideoChooserBlock
from quizzes.blocks import QuizChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"]


class TextBlock(blocks.RichTextBlock):
    """Formatted lesson text."""

    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/text.html"


class LectureVideoBlock(blocks.StructBlock):
    """The lesson's lecture video, played with resume and watch-time heartbeats (one per
    lesson: its watched share is what the completion rule measures)."""

    video = VideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Lecture video")
        template = "courses/blocks/video.html"


class QuizBlock(blocks.StructBlock):
    """A quiz the member takes inside the lesson."""

    quiz = QuizChooserBlock(label=_("Quiz"))

    class Meta:
        icon = "tasks"
        label = _("Quiz")
        template = "courses/blocks/quiz.html"


class H5PBlock(blocks.StructBlock):
    """An interactive H5P activity, played isolated from the site's session."""

    package = H5PChooserBlock(label=_("H5P activity"))

    class Meta:
        icon = "form"
        label = _("H5P activity")
        template = "courses/blocks/h5p.html"


class ImageBlock(blocks.StructBlock):
    """An illustration with its caption."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    """A document members download (slides, reading material)."""

    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "courses/blocks/document.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation set apart from the text, with where it comes from."""

    text = blocks.TextBlock(label=_("Quotation"))
    source = blocks.CharBlock(
        label=pgettext_lazy("quotation", "Source"), required=False, max_length=200
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote.html"


def lesson_body_blocks() -> list[tuple[str, blocks.Block]]:
    """The block types of a lesson body, in the order the editor offers them."""
    return [
        ("text", TextBlock()),
        ("video", LectureVideoBlock()),
        ("h5p", H5PBlock()),
        ("quiz", QuizBlock()),
        ("image", ImageBlock()),
        ("document", DocumentBlock()),
        ("quote", QuoteBlock()),
    ]
