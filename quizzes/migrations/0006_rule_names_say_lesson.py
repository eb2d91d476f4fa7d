"""The default rule 完成课时 becomes 完成一课: 课时 read like 学时 (study hours) beside it, so the
platform calls a lesson 课 everywhere. Rules an admin renamed are left as they are."""

from django.db import migrations

OLD = ("完成课时", "每学完 1 个课时得 1 分，每日上限 6 分")
NEW = ("完成一课", "每学完 1 课得 1 分，每日上限 6 分")


def rename(apps, schema_editor, old=OLD, new=NEW):
    PointRule = apps.get_model("quizzes", "PointRule")
    PointRule.objects.filter(code="lesson_completed", name=old[0]).update(name=new[0])
    PointRule.objects.filter(code="lesson_completed", description=old[1]).update(description=new[1])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0005_readable_point_sources")]

    operations = [migrations.RunPython(rename, rename_back)]
