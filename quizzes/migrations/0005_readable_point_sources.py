"""Ledger sources become what earned the points, in words: the lesson's, course's, quiz's or
activity's title instead of codes ("attempt:25", "quiz:3", "h5p:2") or hard-coded Chinese
prefixes ("课时：…"); the rule's name says the rest (PointEntry.source_label). The only edit
ever made to ledger lines, and it leaves points, days and keys alone."""

import re

from django.db import migrations

PREFIXES = ("课时：", "课程：", "视频：")
DROPPED = ("login", "演示数据")


def readable_sources(apps, schema_editor):
    PointEntry = apps.get_model("quizzes", "PointEntry")
    Quiz = apps.get_model("quizzes", "Quiz")
    Attempt = apps.get_model("quizzes", "Attempt")
    H5PPackage = apps.get_model("h5p", "H5PPackage")
    quiz_titles = dict(Quiz.objects.values_list("pk", "title"))
    attempt_quiz = dict(Attempt.objects.values_list("pk", "quiz_id"))
    package_titles = dict(H5PPackage.objects.values_list("pk", "title"))
    patterns = (
        (re.compile(r"^attempt:(\d+)$"), lambda n: quiz_titles.get(attempt_quiz.get(n))),
        (re.compile(r"^quiz:(\d+)$"), quiz_titles.get),
        (re.compile(r"^contest:(\d+):place:\d+$"), quiz_titles.get),
        (re.compile(r"^h5p:(\d+)$"), package_titles.get),
    )
    for source in PointEntry.objects.values_list("source", flat=True).distinct().iterator():
        readable = source
        if source in DROPPED:
            readable = ""
        elif source.startswith(PREFIXES):
            readable = source[len(PREFIXES[0]) :]
        else:
            for pattern, title_of in patterns:
                match = pattern.match(source)
                if match:
                    readable = title_of(int(match.group(1))) or ""
                    break
        if readable != source:
            PointEntry.objects.filter(source=source).update(source=readable[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_quiz_managed_by"),
        ("h5p", "0002_trainer_permissions"),
    ]

    operations = [migrations.RunPython(readable_sources, migrations.RunPython.noop)]
