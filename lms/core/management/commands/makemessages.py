"""`makemessages` that files each string under the app it belongs to.

Templates live in `themes/templates/<app>/` (one theme for every page), but their strings
belong with the app that renders them: `themes/templates/courses/…` goes to
`courses/locale/`, like `courses/*.py`; everything of `lms/` and `themes/` goes to
`lms/locale/`. Run it from the project root:

    python manage.py makemessages -l zh_Hans                      # every catalogue
    python manage.py makemessages -l zh_Hans --catalogue courses  # only courses/locale
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

# app folder → its catalogue (the longest matching folder wins: courses/h5p before courses)
APP_CATALOGUES = {
    "courses/h5p": "courses/h5p/locale",
    "courses/documents": "courses/documents/locale",
    "courses": "courses/locale",
    "quizzes": "quizzes/locale",
    "media_pipeline": "media_pipeline/locale",
}
# themes/templates/<folder> → the app folder whose catalogue holds its strings
TEMPLATE_FOLDERS = {
    "h5p": "courses/h5p",
    "courses": "courses",
    "quizzes": "quizzes",
    "media_pipeline": "media_pipeline",
}
DEFAULT_CATALOGUE = "lms/locale"


def _catalogue_for(relative: str) -> str:
    for folder in sorted(APP_CATALOGUES, key=len, reverse=True):
        if relative == folder or relative.startswith(folder + "/"):
            return APP_CATALOGUES[folder]
    return DEFAULT_CATALOGUE


class Command(makemessages.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--catalogue",
            choices=["lms", *APP_CATALOGUES],
            metavar="APP_FOLDER",
            help="Only (re)write this app's catalogue; strings of other apps are left alone.",
        )

    def handle(self, *args, **options):
        self.only_catalogue = options.get("catalogue")
        options["ignore_patterns"] = [
            *options.get("ignore_patterns", []),
            ".venv/*",
            "node_modules/*",
            "var/*",
            "static_collected/*",
            "tests/*",
            "bench/*",
        ]
        return super().handle(*args, **options)

    def find_files(self, root):
        files = super().find_files(root)
        base = Path(settings.BASE_DIR).resolve()
        templates = base / "themes" / "templates"
        wanted = None
        if self.only_catalogue:
            wanted = base / _catalogue_for(self.only_catalogue)
        kept = []
        for translatable in files:
            path = Path(translatable.dirpath).resolve()
            if templates in path.parents:
                first = path.relative_to(templates).parts[0]
                relative = TEMPLATE_FOLDERS.get(first, "")
            else:
                relative = path.relative_to(base).as_posix()
            folder = base / _catalogue_for(relative)
            if wanted is not None and folder != wanted:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            translatable.locale_dir = str(folder)
            kept.append(translatable)
        return kept
