"""Questions from and to Excel: template, dry run with Chinese reasons, all-or-nothing,
duplicates reported not doubled, export round trip, bulk writes, admin pages."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from quizzes import importing
from quizzes.models import Question, QuestionBank
from tests.utils import xlsx_bytes

from .factories import make_bank

pytestmark = pytest.mark.django_db

HEADER = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "解析",
    "难度",
    "知识点",
    "分值",
]


def row(qtype, stem, options=(), answer="", explanation="", difficulty="", tags="", score=""):
    options = list(options) + [""] * (4 - len(options))
    return [qtype, stem, *options, answer, explanation, difficulty, tags, score]


GOOD = [
    row(
        "单选题",
        "古田会议召开于哪一年？",
        ["1928年", "1929年", "1930年"],
        "B",
        "1929年12月",
        "中等",
        "党史、建军",
    ),
    row(
        "多选题", "新发展理念包括？", ["创新", "协调", "保守", "共享"], "ＡＢＤ", "", "容易", "理论"
    ),
    row("判断题", "预备党员的预备期为一年。", answer="√", tags="党章"),
    row("填空题", "党的根本宗旨是全心全意为人民____。", answer="服务｜服务人民", score="2"),
]


def test_the_template_is_a_valid_import_of_one_question_per_type():
    template = importing.build_template()

    report = importing.import_questions(io.BytesIO(template), "t.xlsx", new_bank="模板题库")

    assert report.ok, report.errors
    bank = QuestionBank.objects.get(name="模板题库")
    assert sorted(bank.questions.values_list("type", flat=True)) == sorted(Question.Type.values)
    headers = [c.value for c in load_workbook(io.BytesIO(template)).active[1]]
    assert headers[:3] == ["题型 *", "题干 *", "选项 A"]


def test_import_builds_each_type_of_question():
    report = importing.import_questions(xlsx_bytes([HEADER, *GOOD]), "q.xlsx", new_bank="新题库")

    assert report.ok and report.applied and report.created == 4
    bank = QuestionBank.objects.get(name="新题库")
    single = bank.questions.get(type="single")
    assert [(o.text, o.is_correct) for o in single.options.order_by("sort_order")] == [
        ("1928年", False),
        ("1929年", True),
        ("1930年", False),
    ]
    assert set(single.tags.names()) == {"党史", "建军"}
    assert single.difficulty == Question.Difficulty.MEDIUM
    multiple = bank.questions.get(type="multiple")
    assert list(multiple.options.filter(is_correct=True).values_list("text", flat=True)) == [
        "创新",
        "协调",
        "共享",
    ]
    true_false = bank.questions.get(type="true_false")
    assert true_false.options.get(is_correct=True).text == "正确"
    fill = bank.questions.get(type="fill_blank")
    assert fill.accepted_answer_list() == ["服务", "服务人民"] and fill.score == 2


def test_dry_run_lists_every_bad_row_with_its_number_and_a_chinese_reason():
    rows = [
        HEADER,
        GOOD[0],
        row("问答题", "什么是党性？", answer="略"),
        row("单选题", "", ["甲", "乙"], "A"),
        row("单选题", "哪个对？", ["甲", "乙"], "C"),
        row("单选题", "两个答案？", ["甲", "乙", "丙"], "AB"),
        row("多选题", "缺选项？", ["甲", "", "丙"], "AC"),
        row("判断题", "对不对？", answer="也许"),
        row("填空题", "填什么？", ["甲"], "乙"),
        row("单选题", "难度？", ["甲", "乙"], "A", difficulty="极难", score="0"),
    ]

    report = importing.check_questions(xlsx_bytes(rows), "q.xlsx", new_bank="x")

    found = {(e.row, e.column, e.message) for e in report.errors}
    assert (3, "题型", "无法识别的题型“问答题”，可选值：单选题、多选题、判断题、填空题。") in found
    assert (4, "题干", "此项为必填项。") in found
    assert (5, "答案", "答案“C”对应的选项没有填写（可选 A–B）。") in found
    assert (6, "答案", "单选题只能有一个答案字母。") in found
    assert (7, "选项 B", "选项要从 A 开始连续填写，选项 B 是空的。") in found
    assert (8, "答案", "判断题的答案填“对”或“错”。") in found
    assert (9, "选项 A", "填空题不设选项。") in found
    assert (10, "难度", "无法识别的难度“极难”，可选值：容易、中等、困难。") in found
    assert (10, "分值", "分值是 1 到 100 之间的整数。") in found
    assert 2 not in {e.row for e in report.errors}
    assert not QuestionBank.objects.exists()


def test_an_import_with_a_bad_row_writes_nothing():
    bank = make_bank()
    before = bank.questions.count()
    rows = [HEADER, *GOOD, row("单选题", "坏题", ["甲"], "A")]

    report = importing.import_questions(xlsx_bytes(rows), "q.xlsx", bank=bank)

    assert not report.applied
    assert [e.row for e in report.errors] == [6]
    assert bank.questions.count() == before


def test_duplicates_are_reported_and_not_doubled():
    bank = make_bank()  # has "中国共产党成立于____年。" among others
    rows = [
        HEADER,
        GOOD[0],
        row("单选题", " 古田会议召开于哪一年？ ", ["1928年", "1929年"], "B"),  # same as row 2
        row("填空题", "中国共产党成立于____年。", answer="1921"),  # already in the bank
        GOOD[1],
    ]

    report = importing.import_questions(xlsx_bytes(rows), "q.xlsx", bank=bank)

    assert report.applied and report.created == 2
    assert {(d.row, d.message) for d in report.duplicates} == {
        (3, "与第 2 行的题目相同。"),
        (4, "题库中已有相同的题目。"),
    }
    assert bank.questions.filter(stem__contains="古田会议").count() == 1
    assert bank.questions.filter(stem="中国共产党成立于____年。").count() == 1


def test_export_imports_into_another_bank_unchanged_and_back_as_duplicates():
    bank = make_bank()

    exported = importing.export_bank(bank)
    copy = importing.import_questions(io.BytesIO(exported), "e.xlsx", new_bank="副本")
    again = importing.import_questions(io.BytesIO(exported), "e.xlsx", bank=bank)

    assert copy.ok and copy.created == bank.questions.count()
    assert again.applied and again.created == 0 and len(again.duplicates) == 8

    def shape(b):
        return sorted(
            (
                q.type,
                q.stem,
                tuple((o.text, o.is_correct) for o in q.options.order_by("sort_order")),
                tuple(q.accepted_answer_list()),
                q.explanation,
                q.difficulty,
                tuple(sorted(q.tags.names())),
            )
            for q in b.questions.all()
        )

    assert shape(QuestionBank.objects.get(name="副本")) == shape(bank)


def test_rows_are_written_in_bulk_not_one_by_one():
    def queries_for(count):
        rows = [HEADER] + [
            row("单选题", f"第{count}批第{n}题", ["甲", "乙", "丙"], "B", tags=f"知识点{n % 5}")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = importing.import_questions(xlsx_bytes(rows), "q.xlsx", new_bank=f"批量{count}")
        assert report.applied and report.created == count
        return len(captured)

    queries_for(10)  # the five knowledge points exist afterwards
    small, large = queries_for(50), queries_for(1500)
    # 30 times the rows: only the number of insert batches grows (a row-by-row import would
    # need thousands of queries more).
    assert large - small < 1500 // 25, (small, large)


def test_a_file_that_is_not_a_workbook_is_reported():
    report = importing.check_questions(io.BytesIO(b"PK\x03\x04 broken"), "q.xlsx", new_bank="x")

    assert [e.message for e in report.errors] == ["该文件不是有效的 .xlsx 工作簿。"]


# --- admin pages -----------------------------------------------------------------------------


def test_a_trainer_imports_through_the_admin(client, people, org_tree):
    client.force_login(people["trainer"])
    committee = org_tree["committee"].pk

    page = client.get("/admin/quizzes/import/")
    template = client.get("/admin/quizzes/import/template.xlsx")
    checked = client.post(
        "/admin/quizzes/import/",
        {
            "new_bank": "讲师题库",
            "organization": committee,
            "file": _upload([HEADER, *GOOD]),
            "dry_run": "1",
        },
    )
    imported = client.post(
        "/admin/quizzes/import/",
        {
            "new_bank": "讲师题库",
            "organization": committee,
            "file": _upload([HEADER, *GOOD]),
            "apply": "1",
        },
    )

    assert page.status_code == 200 and template.status_code == 200
    assert "检查通过" in checked.content.decode()
    assert "导入完成" in imported.content.decode()
    bank = QuestionBank.objects.get(name="讲师题库")
    assert bank.organization_id == committee
    assert bank.questions.count() == 4
    exported = client.get(f"/admin/quizzes/banks/{bank.pk}/export.xlsx")
    assert exported.status_code == 200
    assert load_workbook(io.BytesIO(exported.content)).active.max_row == 5


def test_members_cannot_import_or_export(client, people, bank):
    client.force_login(people["member_a1"])

    for url in ("/admin/quizzes/import/", f"/admin/quizzes/banks/{bank.pk}/export.xlsx"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.get("Content-Type", "").startswith("application/vnd")


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("questions.xlsx", xlsx_bytes(rows).getvalue())
