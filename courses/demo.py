"""Demo courses: a catalogue of believable party-education courses with lessons (text, the demo
lecture video, a quiz, an H5P activity), published through the review workflow, a required
course for the secretary's branch, and some progress for the demo members."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lms.accounts.models import User
from lms.core import days
from lms.core.models import HomePage
from lms.orgs.models import PartyOrganization
from media_pipeline.demo import demo_video
from quizzes.demo import demo_exam

from .completion import update_course_completion
from .enrolment import enroll, enroll_assignment_members
from .models import (
    CatalogPage,
    CoursePage,
    CourseTopic,
    CourseTrainer,
    Enrollment,
    LessonPage,
    LessonProgress,
    RequiredCourseAssignment,
)
from .workflow import ensure_review_workflow

TOPICS = ("党史", "理论学习", "党章党规", "业务知识")


def _p(*paragraphs: str) -> tuple[str, str]:
    return ("text", "".join(f"<p>{p}</p>" for p in paragraphs))


def _quote(text: str, source: str) -> tuple[str, dict]:
    return ("quote", {"text": text, "source": source})


def _lessons() -> dict[str, list[dict]]:

    from courses.h5p.models import H5PPackage

    video = demo_video()
    exam = demo_exam()
    activity = H5PPackage.objects.order_by("pk").first()
    history_third: dict[str, Any] = {
        "title": "第三课 伟大转折：遵义会议",
        "body": [
            _p(
                "1935年1月，中共中央政治局在贵州遵义召开扩大会议，集中解决了当时具有决定意义的"
                "军事问题和组织问题。",
                "遵义会议在最危急关头挽救了党、挽救了红军、挽救了中国革命，是党的历史上一个"
                "生死攸关的转折点。",
            ),
        ],
        "complete_read_seconds": 60,
    }
    if activity is not None:
        history_third["body"].append(("h5p", {"package": activity}))
        history_third["complete_h5p"] = True
    rules_exam: dict[str, Any] = {
        "title": "第三课 结业测验",
        "body": [_p("完成以下测验，60 分及格，可作答 3 次。")],
    }
    if exam is not None:
        rules_exam["body"].append(("quiz", {"quiz": exam}))
        rules_exam["complete_quiz"] = True
    return {
        "党史学习教育": [
            {
                "title": "第一课 开天辟地：中国共产党的创立",
                "body": [
                    ("video", {"video": video, "caption": "主讲：李明华（党校讲师）"}),
                    _p(
                        "1921年7月，中国共产党第一次全国代表大会在上海召开，后转移到浙江嘉兴南湖"
                        "的一条游船上闭幕。大会宣告了中国共产党的正式成立。",
                        "中国共产党的成立是开天辟地的大事变，深刻改变了近代以后中华民族发展的方向"
                        "和进程，深刻改变了中国人民和中华民族的前途和命运。",
                    ),
                ],
                "complete_video_percent": 90,
            },
            {
                "title": "第二课 星火燎原：土地革命战争时期",
                "body": [
                    _p(
                        "大革命失败后，党领导人民举行南昌起义、秋收起义、广州起义，开始了独立领导"
                        "武装斗争、创建人民军队的新时期。",
                        "毛泽东同志领导创建井冈山革命根据地，开辟了农村包围城市、武装夺取政权的"
                        "革命道路。",
                    ),
                    _quote("星星之火，可以燎原。", "毛泽东，1930年"),
                ],
                "complete_read_seconds": 60,
            },
            history_third,
        ],
        "党章党规专题": [
            {
                "title": "第一课 学习党章：党员的义务和权利",
                "body": [
                    _p(
                        "党章是党的根本大法，是全党必须共同遵守的根本行为规范。",
                        "党员必须认真学习党的路线方针政策，全心全意为人民服务，自觉遵守党的纪律，"
                        "维护党的团结和统一。",
                    ),
                ],
                "complete_read_seconds": 60,
            },
            {
                "title": "第二课 《中国共产党纪律处分条例》解读",
                "body": [
                    _p(
                        "纪律处分条例围绕政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律"
                        "划出负面清单，是党员干部的行为底线。",
                    ),
                    _quote("党的纪律是党的生命线。", "党内法规学习读本"),
                ],
                "complete_read_seconds": 60,
            },
            rules_exam,
        ],
        "新时代党的创新理论学习": [
            {
                "title": "第一课 理论学习的方法",
                "body": [
                    _p(
                        "坚持读原著、学原文、悟原理，做到学思用贯通、知信行统一。",
                        "结合本职工作开展专题研讨，把学习成效转化为推动工作的实际成果。",
                    )
                ],
                "complete_read_seconds": 45,
            },
            {
                "title": "第二课 学习心得交流",
                "body": [_p("各党小组围绕学习内容交流心得体会，形成书面材料报支部。")],
            },
        ],
        "基层党务工作实务": [
            {
                "title": "第一课 “三会一课”制度",
                "body": [
                    _p(
                        "“三会一课”指定期召开支部党员大会、支部委员会、党小组会，按时上好党课。",
                        "支部党员大会一般每季度召开一次，支部委员会一般每月召开一次。",
                    )
                ],
                "complete_read_seconds": 45,
            },
            {
                "title": "第二课 发展党员工作流程",
                "body": [
                    _p(
                        "发展党员须经过入党申请、入党积极分子的确定和培养教育、发展对象的确定和考察、"
                        "预备党员的接收、预备党员的教育考察和转正五个阶段。"
                    )
                ],
                "complete_read_seconds": 45,
            },
        ],
    }


COURSES = (
    (
        "党史学习教育",
        "党史",
        Decimal("4"),
        "学习党的百年奋斗重大成就和历史经验，学史明理、学史增信、学史崇德、学史力行。",
        (("李明华", "党校讲师"),),
        None,
    ),
    (
        "党章党规专题",
        "党章党规",
        Decimal("3"),
        "系统学习党章和主要党内法规，增强纪律意识和规矩意识。",
        (("王建国", "宣传委员"), ("李明华", "党校讲师")),
        None,
    ),
    (
        "新时代党的创新理论学习",
        "理论学习",
        Decimal("2"),
        "用党的创新理论武装头脑、指导实践、推动工作。",
        (("李明华", "党校讲师"),),
        None,
    ),
    (
        "基层党务工作实务",
        "业务知识",
        Decimal("2"),
        "面向机关支部委员：“三会一课”、发展党员等基层党务工作的规范和要点。",
        (("张红梅", "支部书记"),),
        "DEMO-Z1",
    ),
)


def build(stdout=None) -> bool:
    """Create the demo catalogue once; False when it exists."""
    if CatalogPage.objects.exists():
        return False
    ensure_review_workflow()  # what the migration made (a flushed test database lacks it)
    home = HomePage.objects.order_by("path").first()
    trainer = User.objects.filter(username="trainer").first()
    reviewer = User.objects.filter(username="reviewer").first()
    topics = {
        name: CourseTopic.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(TOPICS)
    }
    catalog = home.add_child(
        instance=CatalogPage(
            title="课程中心",
            slug="courses",
            intro="<p>在线学习党史、党章党规和党的创新理论，随时随地，学有所获。</p>",
        )
    )
    _publish(catalog, trainer, reviewer)
    lessons_by_course = _lessons()
    courses: dict[str, CoursePage] = {}
    committee = PartyOrganization.objects.filter(code="DEMO").first()  # the demo trainer's
    for title, topic, hours, summary, trainers, audience_code in COURSES:
        course = catalog.add_child(
            instance=CoursePage(
                title=title,
                summary=summary,
                topic=topics[topic],
                credit_hours=hours,
                managed_by=committee,
            )
        )
        for name, role in trainers:
            CourseTrainer.objects.create(course=course, name=name, title=role)
        if audience_code:
            course.audience.set(PartyOrganization.objects.filter(code=audience_code))
            course.save()
        _publish(course, trainer, reviewer)
        for fields in lessons_by_course[title]:
            lesson = course.add_child(instance=LessonPage(**fields))
            _publish(lesson, trainer, reviewer)
        courses[title] = course

    _required_course(courses["党章党规专题"])
    _progress(courses)
    if stdout is not None:
        stdout.write(
            f"  courses: {len(courses)}, lessons: {LessonPage.objects.count()}, "
            f"enrolments: {Enrollment.objects.count()}"
        )
    return True


def _publish(page, trainer: User | None, reviewer: User | None) -> None:
    """Published as the review workflow would: the trainer's revision, the reviewer's approval."""
    page.save_revision(user=trainer, log_action=True).publish(user=reviewer)


def _required_course(course: CoursePage) -> None:
    secretary = User.objects.filter(username="secretary").first()
    branch = PartyOrganization.objects.get(code="DEMO-Z1-D1")
    assignment = RequiredCourseAssignment.objects.create(
        course=course,
        organization=branch,
        deadline=days.today() + timedelta(days=30),
        assigned_by=secretary,
    )
    enroll_assignment_members(assignment)


def _progress(courses: dict[str, CoursePage]) -> None:
    """The demo member is halfway through two courses; a few branch members completed the
    required one (and have certificates); the secretary has started it."""
    now = timezone.now()
    member = User.objects.get(username="member")
    history = courses["党史学习教育"]
    enroll(member, history)
    first, second, *_rest = history.lessons()
    LessonProgress.objects.create(
        user=member,
        lesson=first,
        watched=[[0.0, 20.0]],
        unique_watched_seconds=20.0,
        resume_position=20.0,
        read_seconds=40,
    )
    _complete(member, second, now - timedelta(days=2))
    Enrollment.objects.filter(user=member, course=history).update(
        last_lesson=first, last_activity_at=now - timedelta(hours=3)
    )

    rules = courses["党章党规专题"]
    rules_lessons = list(rules.lessons())
    _complete(member, rules_lessons[0], now - timedelta(days=1))
    Enrollment.objects.filter(user=member, course=rules).update(
        last_lesson=rules_lessons[1], last_activity_at=now - timedelta(days=1)
    )
    finishers = User.objects.filter(
        profile__organization__code="DEMO-Z1-D1", username__startswith="demo"
    ).order_by("username")[:3]
    for number, user in enumerate(finishers):
        when = now - timedelta(days=5 - number)
        for lesson in rules_lessons:
            _complete(user, lesson, when)
        update_course_completion(user, rules, now=when)


def _complete(user: User, lesson: LessonPage, when: datetime) -> None:
    course = lesson.course
    if course is None:
        raise ValueError(f"The demo lesson {lesson} is not in a course.")
    progress, _created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    progress.read_seconds = max(progress.read_seconds, lesson.complete_read_seconds or 0)
    progress.completed_at = when
    progress.save()
    update_course_completion(user, course, now=when)
