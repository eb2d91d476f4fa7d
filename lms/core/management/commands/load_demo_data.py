"""Build the demo site once: organisations and members, then what each app adds.

Safe to run on every start: each builder does nothing when its data already exists.
Refused under production settings.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# In order: later builders use what earlier ones made.
DEMO_BUILDERS = [
    "lms.orgs.demo",
    "themes.demo",
    "media_pipeline.demo",
    "quizzes.demo",
    "courses.h5p.demo",
    "courses.demo",
    "lms.dashboards.demo",
]


class Command(BaseCommand):
    help = "Load the demo organisation, accounts and content (once)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is not allowed with these settings (production?).")
        # Wagtail logs every page it creates; for demo content that is noise on `make run`.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        for dotted in DEMO_BUILDERS:
            with transaction.atomic():
                built = import_module(dotted).build(stdout=self.stdout)
            state = "built" if built else "already there"
            self.stdout.write(f"demo data {dotted}: {state}")
