"""A lesson body holds only what its trainer may choose: a video, H5P activity, quiz or
document id typed into the admin form by hand (not offered by the chooser) is refused with the
reason, and nothing is saved; what the chooser offers is accepted."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage
from courses.workflow import ensure_review_workflow
from media_pipeline.models import VideoAsset
from quizzes.models import Quiz
from tests.media_pipeline.factories import VideoAssetFactory

from .pages import add_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def workflow(site):
    ensure_review_workflow()


@pytest.fixture
def course(catalog, org_tree):
    return add_course(catalog, "机关总支的课程", managed_by=org_tree["general_a"])


def _add_lesson(client, course, title: str, blocks: list) -> object:
    return client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        nested_form_data(
            {"title": title, "slug": f"lesson-{len(title)}", "body": streamfield(blocks)}
        ),
    )


def test_a_video_or_quiz_of_a_sibling_branch_cannot_be_forged_into_a_lesson(
    client, trainer_a, org_tree, course
):
    sibling_video = VideoAssetFactory(title="生产一线的视频", organization=org_tree["branch_b1"])
    sibling_quiz = Quiz.objects.create(
        title="生产一线的测验", managed_by=org_tree["general_b"], organization=org_tree["general_b"]
    )
    client.force_login(trainer_a)

    forged_video = _add_lesson(
        client, course, "伪造视频的一课", [("video", {"video": sibling_video.pk, "caption": ""})]
    )
    forged_quiz = _add_lesson(
        client, course, "伪造测验的一课", [("quiz", {"quiz": sibling_quiz.pk})]
    )

    for response, name in ((forged_video, "生产一线的视频"), (forged_quiz, "生产一线的测验")):
        assert response.status_code == 200  # the form again, with the reason on the body
        (reason,) = response.context["form"].errors["body"]
        assert reason == f"你不能在课中使用「{name}」：请从列表中选择。"
    assert not LessonPage.objects.filter(title__startswith="伪造").exists()


def test_what_the_chooser_offers_is_accepted(client, trainer_a, org_tree, course):
    own = VideoAssetFactory(title="本支部的视频", organization=org_tree["branch_a1"])
    client.force_login(trainer_a)

    response = _add_lesson(
        client, course, "本支部视频的一课", [("video", {"video": own.pk, "caption": ""})]
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title="本支部视频的一课")
    assert lesson.blocks_of_type("video")[0]["video"] == VideoAsset.objects.get(pk=own.pk)
