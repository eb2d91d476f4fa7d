"""StreamField blocks that put quizzes into pages (used by courses/blocks.py)."""

from wagtail.snippets.blocks import SnippetChooserBlock


class QuizChooserBlock(SnippetChooserBlock):
    """Choose a quiz; the page shows it with `quizzes/quiz_block.html`, where the member starts,
    takes and submits it without leaving the page."""

    def __init__(self, **kwargs) -> None:
        super().__init__("quizzes.Quiz", **kwargs)

    class Meta:
        icon = "tasks"
        template = "quizzes/blocks/quiz.html"
