"""The default study-point rules, modelled on 学习强国: points per event, a daily cap, for some
a weekly cap. Admins edit them (Settings → 积分规则); the codes are what apps award by."""

from django.db import migrations

# code, name, description, points per event, daily cap, weekly cap
RULES = [
    ("daily_login", "登录", "每日首次登录得 1 分", 1, 1, None),
    ("lesson_completed", "完成一课", "每学完 1 课得 1 分，每日上限 6 分", 1, 6, None),
    ("video_minutes", "视听学习时长", "每观看 1 分钟课程视频得 1 分，每日上限 6 分", 1, 6, None),
    ("course_completed", "完成课程", "每学完 1 门课程得 5 分，每日上限 10 分", 5, 10, None),
    ("daily_quiz_correct", "每日答题", "每答对 1 题得 1 分，每日上限 5 分", 1, 5, None),
    (
        "special_quiz",
        "专项答题",
        "每通过 1 次专项答题得 10 分，每日上限 10 分，每周上限 20 分",
        10,
        10,
        20,
    ),
    ("contest_placing", "知识竞赛名次", "竞赛前几名按名次得分，每日上限 30 分", 10, 30, None),
    ("h5p_completed", "互动练习", "每完成 1 个互动练习得 1 分，每日上限 5 分", 1, 5, None),
    ("live_attended", "直播学习", "每参加 1 场直播课得 2 分，每日上限 4 分", 2, 4, None),
]


def create_rules(apps, schema_editor):
    PointRule = apps.get_model("quizzes", "PointRule")
    for order, (code, name, description, points, daily, weekly) in enumerate(RULES, start=1):
        PointRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "points": points,
                "daily_cap": daily,
                "weekly_cap": weekly,
                "sort_order": order * 10,
            },
        )


def remove_rules(apps, schema_editor):
    PointRule = apps.get_model("quizzes", "PointRule")
    PointRule.objects.filter(code__in=[rule[0] for rule in RULES], entries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial")]

    operations = [migrations.RunPython(create_rules, remove_rules)]
