"""The review task becomes a CourseReviewTask (a proxy of Wagtail's group approval task, same
rows): reviewers approve only the courses their organisations manage (see courses.models)."""

from django.db import migrations


def use_course_review_task(apps, schema_editor):
    from courses.workflow import ensure_review_workflow

    ensure_review_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_course_managed_by"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="CourseReviewTask",
            fields=[],
            options={
                "verbose_name": "course review task",
                "verbose_name_plural": "course review tasks",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(use_course_review_task, migrations.RunPython.noop),
    ]
