"""Documents belong to organisations like videos and banks: trainers manage those their role
covers and choose those and the ones above them; a member reads one only where a course they
may read uses it; the media folder never hands documents out."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from wagtail.documents import get_document_model

from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from tests.courses.pages import add_course, add_lesson, text
from tests.factories import make_member

pytestmark = pytest.mark.django_db

Document = get_document_model()
SLIDES = b"%PDF-1.4 slides of the lesson"


def make_document(title: str, organization, name: str = "讲义.pdf", **fields):
    return Document.objects.create(
        title=title, file=ContentFile(SLIDES, name=name), organization=organization, **fields
    )


@pytest.fixture
def branch_trainer(org_tree):
    user = make_member(org_tree["branch_b1"], "trainer_b1", real_name="孙讲师")
    grant_role(user, org_tree["branch_b1"], OrgRole.Kind.TRAINER)
    return user


@pytest.fixture
def documents(org_tree, people):
    return {
        "committee": make_document(
            "党委的讲义", org_tree["committee"], uploaded_by_user=people["trainer"]
        ),
        "branch_b1": make_document("一线支部的讲义", org_tree["branch_b1"]),
        "general_a": make_document("机关总支的讲义", org_tree["general_a"]),
        "platform": make_document("平台的讲义", None),
    }


# --- the admin --------------------------------------------------------------------------------


def test_a_branch_trainer_cannot_edit_or_delete_the_committee_trainers_document(
    client, branch_trainer, documents
):
    committee = documents["committee"]
    client.force_login(branch_trainer)

    for name in ("wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"):
        response = client.get(reverse(name, args=[committee.pk]))
        assert response.status_code in (302, 403, 404), name
        assert response.status_code != 302 or response["Location"] == "/admin/", name
    edited = client.post(
        reverse("wagtaildocs:edit", args=[committee.pk]), {"title": "被改掉了", "tags": ""}
    )
    deleted = client.post(reverse("wagtaildocs:delete", args=[committee.pk]))

    assert edited.status_code in (302, 403, 404) and deleted.status_code in (302, 403, 404)
    committee.refresh_from_db()
    assert committee.title == "党委的讲义"
    listing = client.get(reverse("wagtaildocs:index")).content.decode()
    assert "一线支部的讲义" in listing
    assert "党委的讲义" not in listing and "平台的讲义" not in listing


def test_bulk_deleting_leaves_the_committees_document_alone(client, branch_trainer, documents):
    bulk = reverse("wagtail_bulk_action", args=["course_documents", "coursedocument", "delete"])
    client.force_login(branch_trainer)
    ids = [documents["committee"].pk, documents["branch_b1"].pk]

    client.post(f"{bulk}?id={ids[0]}&id={ids[1]}")

    assert list(Document.objects.filter(pk__in=ids).values_list("title", flat=True)) == [
        "党委的讲义"
    ]


def test_a_branch_trainer_edits_their_own_document(client, branch_trainer, documents, org_tree):
    own = documents["branch_b1"]
    client.force_login(branch_trainer)

    response = client.post(
        reverse("wagtaildocs:edit", args=[own.pk]),
        {"title": "改过的讲义", "tags": "", "organization": org_tree["branch_b1"].pk},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.title == "改过的讲义"


def test_the_chooser_offers_what_the_trainer_may_put_in_a_lesson(client, branch_trainer, documents):
    client.force_login(branch_trainer)

    html = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]

    for title in ("一线支部的讲义", "党委的讲义", "平台的讲义"):
        assert title in html
    assert "机关总支的讲义" not in html
    sibling = documents["general_a"]
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[sibling.pk])).status_code in (
        302,
        403,
        404,
    )


def test_a_new_document_belongs_to_one_of_the_trainers_organisations(client, trainer_a, org_tree):
    client.force_login(trainer_a)
    add = reverse("wagtaildocs:add")

    def upload(title, organization):
        return client.post(
            add,
            {
                "title": title,
                "file": SimpleUploadedFile("讲义.pdf", SLIDES, "application/pdf"),
                "tags": "",
                "organization": organization,
            },
        )

    form = client.get(add).content.decode()
    sibling = upload("越权的讲义", org_tree["general_b"].pk)
    own = upload("本支部的讲义", org_tree["branch_a1"].pk)

    assert f'<option value="{org_tree["general_a"].pk}" selected>' in form
    assert "生产党总支" not in form
    assert sibling.status_code == 200
    assert "请选择你的讲师角色覆盖的组织。" in sibling.content.decode()
    assert own.status_code == 302, own.content.decode()[:3000]
    assert list(Document.objects.values_list("title", "organization")) == [
        ("本支部的讲义", org_tree["branch_a1"].pk)
    ]


def test_the_multiple_uploader_puts_documents_in_the_widest_organisation(
    client, trainer_a, org_tree
):
    client.force_login(trainer_a)

    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("提纲.pdf", SLIDES, "application/pdf")},
    )

    assert response.status_code == 200 and response.json()["success"], response.content
    assert Document.objects.get().organization == org_tree["general_a"]


# --- reading ----------------------------------------------------------------------------------


@pytest.fixture
def course_document(catalog, org_tree, people):
    """A committee document used by a lesson of a course for 机关党总支 only."""
    document = make_document("党章学习讲义", org_tree["committee"], name="dangzhang.pdf")
    course = add_course(catalog, "党章学习", audience=[org_tree["general_a"]])
    add_lesson(
        course,
        "第一课 总纲",
        [text("<p>学习总纲。</p>"), ("document", {"document": document, "description": ""})],
    )
    return document


def test_a_member_in_the_courses_audience_reads_the_document(client, people, course_document):
    client.force_login(people["member_a1"])

    response = client.get(course_document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SLIDES


def test_a_member_outside_the_audience_gets_no_document_anywhere(client, people, course_document):
    client.force_login(people["member_b1"])

    assert client.get(course_document.url).status_code == 404
    assert client.get(f"/media/{course_document.file.name}").status_code == 404


def test_the_media_folder_serves_no_document_to_anyone(client, people, course_document):
    for user in (people["member_a1"], people["trainer"]):
        client.force_login(user)
        assert client.get(f"/media/{course_document.file.name}").status_code == 404


def test_a_document_no_lesson_uses_is_for_its_trainers_only(
    client, people, branch_trainer, documents
):
    document = documents["branch_b1"]

    client.force_login(people["member_b1"])
    assert client.get(document.url).status_code == 404
    client.force_login(branch_trainer)
    assert client.get(document.url).status_code == 200
    client.force_login(people["trainer"])  # the committee's trainer covers the branch
    assert client.get(document.url).status_code == 200


def test_a_draft_lessons_document_is_not_for_members(client, people, catalog, org_tree):
    document = make_document("未发布的讲义", org_tree["committee"])
    course = add_course(catalog, "党章学习")
    lesson = add_lesson(course, "草稿课时", [("document", {"document": document})])
    lesson.unpublish()

    client.force_login(people["member_a1"])

    assert client.get(document.url).status_code == 404


def test_finding_the_courses_of_a_document_does_not_grow_with_them(
    client, people, catalog, org_tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def used_by(courses: int):
        document = make_document(f"用于{courses}门课的讲义", org_tree["committee"])
        for number in range(courses):
            audience = [org_tree["general_b"]]
            course = add_course(catalog, f"课程{courses}-{number}", audience=audience)
            add_lesson(course, "第一课", [("document", {"document": document})])
        return document

    one, many = used_by(1), used_by(8)
    client.force_login(people["member_a1"])  # in no audience: every course is checked
    client.get(one.url)  # the first request of the day also credits the daily login

    counts = []
    for document in (one, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(document.url).status_code == 404
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- existing documents -----------------------------------------------------------------------


def test_existing_wagtail_documents_move_with_their_ids_tags_and_owners(people, org_tree):
    from importlib import import_module

    from django.apps import apps
    from wagtail.documents.models import Document as WagtailDocument

    old = WagtailDocument.objects.create(
        title="旧讲义", file=ContentFile(SLIDES, name="old.pdf"), uploaded_by_user=people["trainer"]
    )
    old.tags.add("党史")
    migration = import_module("courses.documents.migrations.0002_move_wagtail_documents")

    migration.move_documents(apps, SimpleNamespace(connection=connection))

    moved = Document.objects.get(pk=old.pk)
    assert (moved.title, moved.file.name) == ("旧讲义", old.file.name)
    assert moved.organization == org_tree["committee"]  # the uploader's widest trainer role
    assert list(moved.tags.names()) == ["党史"]
    assert not WagtailDocument.objects.exists()
    newer = make_document("新讲义", None)
    assert newer.pk > old.pk
