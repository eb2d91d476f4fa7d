"""H5P activities belong to organisations: a trainer opens, edits, deletes and downloads the
original of only those of the organisations their trainer role covers, chooses for lessons
those and the ones above them and of the platform, and puts a new one in one of their own."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.h5p import services
from courses.h5p.models import H5PPackage
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from tests.factories import make_member

from .packages import quick_check

pytestmark = pytest.mark.django_db

ADMIN = "wagtailsnippets_h5p_h5ppackage"


@pytest.fixture
def branch_trainer(org_tree):
    """A trainer of the branch 一线党支部 only (under 生产党总支)."""
    user = make_member(org_tree["branch_b1"], "trainer_b1", real_name="孙讲师")
    grant_role(user, org_tree["branch_b1"], OrgRole.Kind.TRAINER)
    return user


@pytest.fixture
def packages(org_tree, people):
    """The committee trainer's activity, the branch's own, and the platform's."""

    def make(title, organization):
        return services.create_package(
            ContentFile(quick_check(title=title), name="x.h5p"),
            uploaded_by=people["trainer"],
            organization=organization,
        )

    return {
        "committee": make("党委的活动", org_tree["committee"]),
        "branch_b1": make("一线支部的活动", org_tree["branch_b1"]),
        "general_a": make("机关总支的活动", org_tree["general_a"]),
        "platform": make("平台的活动", None),
    }


def _url(view: str, package: H5PPackage) -> str:
    return reverse(f"{ADMIN}:{view}", args=[package.pk])


def test_a_branch_trainer_cannot_open_edit_delete_or_download_the_committees_activity(
    client, branch_trainer, packages, trainer_permissions
):
    committee = packages["committee"]
    client.force_login(branch_trainer)

    for view in ("inspect", "edit", "delete", "original", "usage", "history"):
        assert client.get(_url(view, committee)).status_code == 404, view
    edited = client.post(_url("edit", committee), {"title": "被改掉了"})
    deleted = client.post(_url("delete", committee))

    assert edited.status_code == 404 and deleted.status_code == 404
    committee.refresh_from_db()
    assert committee.title == "党委的活动"
    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    assert "一线支部的活动" in listing
    assert "党委的活动" not in listing and "平台的活动" not in listing


def test_bulk_deleting_leaves_the_committees_activity_alone(
    client, branch_trainer, packages, trainer_permissions
):
    bulk = reverse("wagtail_bulk_action", args=["h5p", "h5ppackage", "delete"])
    client.force_login(branch_trainer)
    ids = [packages["committee"].pk, packages["branch_b1"].pk]

    client.post(f"{bulk}?id={ids[0]}&id={ids[1]}")

    remaining = H5PPackage.objects.filter(pk__in=ids).values_list("title", flat=True)
    assert list(remaining) == ["党委的活动"]


def test_a_branch_trainer_works_on_their_own_activity(
    client, branch_trainer, packages, trainer_permissions, django_capture_on_commit_callbacks
):
    own = packages["branch_b1"]
    client.force_login(branch_trainer)

    assert client.get(_url("inspect", own)).status_code == 200
    original = client.get(_url("original", own))
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == own.file.open("rb").read()
    assert "attachment" in original["Content-Disposition"]
    edited = client.post(
        _url("edit", own),
        {"title": "改名的活动", "organization": own.organization_id, "pass_score_percent": ""},
    )
    assert edited.status_code == 302, edited.content.decode()[:2000]
    own.refresh_from_db()
    assert own.title == "改名的活动"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("delete", own)).status_code == 302
    assert not H5PPackage.objects.filter(pk=own.pk).exists()


def test_the_committee_trainer_manages_what_lies_below(
    client, people, packages, trainer_permissions
):
    client.force_login(people["trainer"])

    for name in ("committee", "branch_b1", "general_a"):
        assert client.get(_url("edit", packages[name])).status_code == 200, name
    assert client.get(_url("original", packages["committee"])).status_code == 200
    # The platform's belongs to the site admins.
    assert client.get(_url("edit", packages["platform"])).status_code == 404
    assert client.get(_url("original", packages["platform"])).status_code == 404


def test_originals_are_not_served_as_media(client, people, packages):
    """The stored .h5p is reachable only through the download view above."""
    package = packages["committee"]
    client.force_login(people["trainer"])

    assert client.get(f"/media/{package.file.name}").status_code == 404


def test_the_chooser_offers_what_the_trainer_may_put_in_a_lesson(
    client, branch_trainer, packages, trainer_permissions
):
    client.force_login(branch_trainer)

    html = client.get(reverse("wagtailsnippetchoosers_h5p_h5ppackage:choose")).json()["html"]

    for title in ("一线支部的活动", "党委的活动", "平台的活动"):
        assert title in html
    assert "机关总支的活动" not in html  # a sibling general branch's
    sibling = packages["general_a"]
    chosen = client.get(reverse("wagtailsnippetchoosers_h5p_h5ppackage:chosen", args=[sibling.pk]))
    assert chosen.status_code == 404


def _upload(title: str = "", **fields):
    return {
        "file": SimpleUploadedFile("活动.h5p", quick_check(), "application/octet-stream"),
        "title": title,
        "pass_score_percent": "",
        **fields,
    }


def test_a_new_activity_belongs_to_one_of_the_trainers_organisations(
    client, trainer_a, org_tree, trainer_permissions
):
    client.force_login(trainer_a)
    add = reverse(f"{ADMIN}:add")

    form = client.get(add).content.decode()
    sibling = client.post(add, _upload("越权的活动", organization=org_tree["general_b"].pk))
    nothing = client.post(add, _upload("没有组织的活动", organization=""))
    own = client.post(add, _upload("本支部的活动", organization=org_tree["branch_a1"].pk))

    # The widest organisation the trainer trains is preselected; a sibling is not offered.
    assert f'<option value="{org_tree["general_a"].pk}" selected>' in form
    assert "生产党总支" not in form
    assert sibling.status_code == 200
    assert "请选择你的讲师角色覆盖的组织。" in sibling.content.decode()
    assert nothing.status_code == 200
    assert list(H5PPackage.objects.values_list("title", flat=True)) == ["本支部的活动"]
    assert own.status_code == 302
    assert H5PPackage.objects.get().organization == org_tree["branch_a1"]


def test_a_site_admin_may_make_an_activity_of_the_whole_platform(client, org_tree):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="x"))

    response = client.post(reverse(f"{ADMIN}:add"), _upload("全平台的活动", organization=""))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert H5PPackage.objects.get().organization is None


def test_existing_activities_go_to_their_uploaders_widest_trainer_organisation(
    people, org_tree, trainer_a
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("courses.h5p.migrations.0003_h5ppackage_organization")
    by_committee = H5PPackage.objects.create(
        title="旧活动一", file="h5p/packages/a.h5p", uploaded_by=people["trainer"]
    )
    by_general = H5PPackage.objects.create(
        title="旧活动二", file="h5p/packages/b.h5p", uploaded_by=trainer_a
    )
    by_nobody = H5PPackage.objects.create(title="旧活动三", file="h5p/packages/c.h5p")

    migration.assign_owners(apps, None)

    owners = dict(H5PPackage.objects.values_list("title", "organization"))
    assert owners == {
        by_committee.title: org_tree["committee"].pk,
        by_general.title: org_tree["general_a"].pk,
        by_nobody.title: None,
    }
