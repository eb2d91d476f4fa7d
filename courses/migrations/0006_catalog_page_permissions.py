"""Trainers' and reviewers' page permissions move from the page root to each course catalogue:
they work on courses and lessons, never on the home page (see courses.workflow)."""

from django.db import migrations


def move_permissions(apps, schema_editor):
    from courses.workflow import ensure_review_workflow

    ensure_review_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_coursepage_completion_points"),
    ]

    operations = [migrations.RunPython(move_permissions, migrations.RunPython.noop)]
