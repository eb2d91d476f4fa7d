"""Question banks to and from Excel: template, dry run, all-or-nothing import, export.

A dry run (`check_questions`) lists every bad row with its row number, column and reason in
the admin's language and writes nothing; `import_questions` validates again inside one
transaction and writes only when no row is bad. Questions already in the bank, or repeated in
the file, are reported and skipped, never doubled. Rows are validated in memory against one
query for the bank's fingerprints, and written with bulk inserts, so 5,000 questions take
seconds.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from taggit.models import Tag

from lms.core.tabular import (
    Column,
    ImportFileError,
    ImportReport,
    RowError,
    allowed_labels,
    choice_lookup,
    map_columns,
    read_table,
    records,
    safe_cell,
)
from lms.orgs.models import PartyOrganization

from .models import MAX_OPTIONS, Question, QuestionBank, QuestionOption, TaggedQuestion

LETTERS = "ABCDEFGH"[:MAX_OPTIONS]
TRUE_FALSE_OPTIONS = ("正确", "错误")
TRUE_WORDS = {"对", "正确", "是", "√", "✓", "✔", "t", "true", "y", "yes"}
FALSE_WORDS = {"错", "错误", "否", "×", "✗", "✘", "x", "f", "false", "n", "no"}
# Extra spellings of the question types that trainers write in spreadsheets.
TYPE_ALIASES = {
    "单选": Question.Type.SINGLE,
    "多选": Question.Type.MULTIPLE,
    "判断": Question.Type.TRUE_FALSE,
    "是非题": Question.Type.TRUE_FALSE,
    "填空": Question.Type.FILL_BLANK,
}
ANSWER_SEPARATORS = re.compile(r"[|｜\n；;]")
TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")

QUESTION_COLUMNS = [
    Column("type", gettext_lazy("Question type"), required=True, example="单选题"),
    Column(
        "stem",
        gettext_lazy("Question text"),
        required=True,
        example="中国共产党第一次全国代表大会于哪一年召开？",
    ),
    *[
        Column(f"option_{letter.lower()}", format_lazy("{} {}", gettext_lazy("Option"), letter))
        for letter in LETTERS
    ],
    Column("answer", gettext_lazy("Answer"), required=True, example="B"),
    Column("explanation", gettext_lazy("Explanation"), example="1921年7月，中共一大召开。"),
    Column("difficulty", gettext_lazy("Difficulty"), example="容易"),
    Column("tags", gettext_lazy("Knowledge points"), example="党史、建党"),
    Column("score", gettext_lazy("Question score"), example="1"),
]

EXAMPLES = [
    [
        "单选题",
        "中国共产党第一次全国代表大会于哪一年召开？",
        "1919年",
        "1921年",
        "1927年",
        "1949年",
    ],
    ["多选题", "党的纪律处分有哪些？", "警告", "严重警告", "罚款", "开除党籍"],
    ["判断题", "预备党员的预备期为一年。"],
    ["填空题", "党的根本宗旨是全心全意为人民____。"],
]
EXAMPLE_TAILS = [
    ["B", "1921年7月，中共一大召开。", "容易", "党史、建党", "1"],
    ["ABD", "党的纪律处分有五种。", "中等", "党章", "2"],
    ["对", "党章规定预备期为一年。", "容易", "党章", "1"],
    ["服务|服务人民", "", "容易", "党章", "1"],
]


@dataclass
class QuestionImportReport(ImportReport):
    """An import report that also lists duplicates: reported and skipped, not errors."""

    bank_name: str = ""
    duplicates: list[RowError] = field(default_factory=list)


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _letters(answer: str) -> list[str]:
    """ "A、C" / "a,c" / "ＡＣ" → ["A", "C"]."""
    return [c for c in unicodedata.normalize("NFKC", answer).upper() if c.isalpha()]


def _validate(records_, report: QuestionImportReport, bank: QuestionBank | None) -> list[dict]:
    columns = {c.key: c for c in QUESTION_COLUMNS}
    types = {**choice_lookup(Question.Type.choices), **TYPE_ALIASES}
    difficulties = choice_lookup(Question.Difficulty.choices)
    existing = set()
    if bank is not None and bank.pk:
        existing = set(Question.objects.filter(bank=bank).values_list("fingerprint", flat=True))
    first_row: dict[str, int] = {}
    clean: list[dict] = []

    for number, record in records_:
        errors_before = len(report.errors)

        def bad(key: str, message: str, number=number) -> None:
            report.add(number, columns[key], message)

        qtype = None
        raw_type = _text(record.get("type"))
        if not raw_type:
            bad("type", _("This column is required."))
        else:
            qtype = types.get(raw_type.lower())
            if qtype is None:
                bad(
                    "type",
                    _("Unknown question type “%(value)s”; use one of: %(allowed)s.")
                    % {"value": raw_type, "allowed": allowed_labels(Question.Type.choices)},
                )
        stem = _text(record.get("stem"))
        if not stem:
            bad("stem", _("This column is required."))

        options = [_text(record.get(f"option_{letter.lower()}")) for letter in LETTERS]
        while options and not options[-1]:
            options.pop()
        if "" in options:
            missing = LETTERS[options.index("")]
            bad(
                f"option_{missing.lower()}",
                _("Options are filled in from A without gaps; option %(letter)s is empty.")
                % {"letter": missing},
            )
        elif any(len(text) > 500 for text in options):
            bad("option_a", _("An option is longer than 500 characters."))

        answer = _text(record.get("answer"))
        option_rows: list[tuple[str, bool]] = []
        accepted = ""
        if not answer:
            bad("answer", _("This column is required."))
        elif qtype in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            letters = _letters(answer)
            if len(options) < 2:
                bad("option_b", _("A choice question needs at least two options."))
            elif not letters or any(letter not in LETTERS[: len(options)] for letter in letters):
                bad(
                    "answer",
                    _("The answer “%(value)s” names an option that is not filled in (A–%(last)s).")
                    % {"value": answer, "last": LETTERS[len(options) - 1]},
                )
            elif qtype == Question.Type.SINGLE and len(set(letters)) != 1:
                bad("answer", _("A single-choice question has exactly one answer letter."))
            else:
                option_rows = [(text, LETTERS[i] in letters) for i, text in enumerate(options)]
        elif qtype == Question.Type.TRUE_FALSE:
            word = unicodedata.normalize("NFKC", answer).strip().lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                is_true = word in TRUE_WORDS
                option_rows = [
                    (TRUE_FALSE_OPTIONS[0], is_true),
                    (TRUE_FALSE_OPTIONS[1], not is_true),
                ]
            else:
                bad("answer", _("The answer to a true-or-false question is 对 or 错."))
        elif qtype == Question.Type.FILL_BLANK:
            if options:
                bad("option_a", _("A fill-in-the-blank question has no options."))
            answers = [a.strip() for a in ANSWER_SEPARATORS.split(answer) if a.strip()]
            if not answers:
                bad("answer", _("Write at least one accepted answer."))
            accepted = "\n".join(answers)

        difficulty = Question.Difficulty.MEDIUM
        raw_difficulty = _text(record.get("difficulty"))
        if raw_difficulty:
            difficulty = difficulties.get(raw_difficulty.lower())
            if difficulty is None:
                bad(
                    "difficulty",
                    _("Unknown difficulty “%(value)s”; use one of: %(allowed)s.")
                    % {
                        "value": raw_difficulty,
                        "allowed": allowed_labels(Question.Difficulty.choices),
                    },
                )
        score = 1
        raw_score = _text(record.get("score"))
        if raw_score:
            if raw_score.isdigit() and 1 <= int(raw_score) <= 100:
                score = int(raw_score)
            else:
                bad("score", _("The score is a whole number from 1 to 100."))
        tags = [t for t in TAG_SEPARATORS.split(_text(record.get("tags"))) if t]
        if any(len(tag) > 100 for tag in tags):
            bad("tags", _("A knowledge point is longer than 100 characters."))

        if len(report.errors) != errors_before or qtype is None:
            continue
        fingerprint = Question.make_fingerprint(qtype, stem)
        if fingerprint in existing:
            report.duplicates.append(
                RowError(
                    number, str(columns["stem"].label), _("The bank already has this question.")
                )
            )
            continue
        if fingerprint in first_row:
            report.duplicates.append(
                RowError(
                    number,
                    str(columns["stem"].label),
                    _("Same question as row %(row)d.") % {"row": first_row[fingerprint]},
                )
            )
            continue
        first_row[fingerprint] = number
        clean.append(
            {
                "type": qtype,
                "stem": stem,
                "fingerprint": fingerprint,
                "options": option_rows,
                "accepted": accepted,
                "explanation": _text(record.get("explanation")),
                "difficulty": difficulty,
                "score": score,
                "tags": list(dict.fromkeys(tags)),
            }
        )
    return clean


def _write(clean: list[dict], bank: QuestionBank) -> None:
    """Insert the questions, their options and knowledge points in bulk."""
    questions = Question.objects.bulk_create(
        [
            Question(
                bank=bank,
                type=item["type"],
                stem=item["stem"],
                fingerprint=item["fingerprint"],
                accepted_answers=item["accepted"],
                explanation=item["explanation"],
                difficulty=item["difficulty"],
                score=item["score"],
            )
            for item in clean
        ],
        batch_size=1000,
    )
    if any(q.pk is None for q in questions):  # a backend that does not return ids
        by_fingerprint = dict(Question.objects.filter(bank=bank).values_list("fingerprint", "pk"))
        for question in questions:
            question.pk = by_fingerprint[question.fingerprint]
    QuestionOption.objects.bulk_create(
        [
            QuestionOption(question_id=q.pk, text=text, is_correct=correct, sort_order=order)
            for q, item in zip(questions, clean, strict=True)
            for order, (text, correct) in enumerate(item["options"])
        ],
        batch_size=2000,
    )
    names = {tag for item in clean for tag in item["tags"]}
    if names:
        tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
        for name in names - set(tags):  # one query per new knowledge point, not per row
            tags[name] = Tag.objects.create(name=name)
        TaggedQuestion.objects.bulk_create(
            [
                TaggedQuestion(content_object_id=q.pk, tag=tags[name])
                for q, item in zip(questions, clean, strict=True)
                for name in item["tags"]
            ],
            batch_size=2000,
        )


def _run(
    upload: IO[bytes],
    filename: str,
    *,
    bank: QuestionBank | None,
    new_bank: str,
    organization: PartyOrganization | None,
    apply: bool,
) -> QuestionImportReport:
    report = QuestionImportReport(kind="questions", bank_name=bank.name if bank else new_bank)
    try:
        header, rows = read_table(upload, filename)
    except ImportFileError as exc:
        report.add(0, None, str(exc))
        return report
    report.rows = len(rows)
    positions = map_columns(header, QUESTION_COLUMNS, report)
    if positions is None:
        return report
    rows_by_column = records(rows, positions)
    if not rows_by_column:
        report.add(0, None, _("The file has a header but no data rows."))
        return report
    if not apply:
        report.created = len(_validate(rows_by_column, report, bank))
        return report
    with transaction.atomic():
        if bank is not None:
            # Lock the bank: two imports into it at once would both miss each other's rows.
            bank = QuestionBank.objects.select_for_update().get(pk=bank.pk)
        clean = _validate(rows_by_column, report, bank)
        if not report.ok:
            return report
        if bank is None:
            bank = QuestionBank.objects.create(name=new_bank, organization=organization)
        _write(clean, bank)
        report.created = len(clean)
        report.applied = True
    return report


def check_questions(
    upload: IO[bytes],
    filename: str,
    *,
    bank: QuestionBank | None = None,
    new_bank: str = "",
    organization: PartyOrganization | None = None,
) -> QuestionImportReport:
    """Dry run: every bad row and every duplicate, nothing written."""
    return _run(
        upload, filename, bank=bank, new_bank=new_bank, organization=organization, apply=False
    )


def import_questions(
    upload: IO[bytes],
    filename: str,
    *,
    bank: QuestionBank | None = None,
    new_bank: str = "",
    organization: PartyOrganization | None = None,
) -> QuestionImportReport:
    """Import into `bank` (or a new bank called `new_bank`, of `organization`; none: the
    platform's): all rows or, if any is bad, none. Duplicates are skipped and listed."""
    return _run(
        upload, filename, bank=bank, new_bank=new_bank, organization=organization, apply=True
    )


# --- template and export ---------------------------------------------------------------------


def _sheet_title(name: str) -> str:
    """A bank's name as a sheet's name: Excel allows 31 characters and none of \\ / * ? : [ ]
    (openpyxl refuses them), and a bank may well be called 党史/党章."""
    return re.sub(r"[\\/*?:\[\]]", "_", name)[:31]


def _workbook(title: str) -> tuple[Workbook, object]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([str(c.label) + (" *" if c.required else "") for c in QUESTION_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B71C1C")
    widths = {"stem": 50, "explanation": 40, "answer": 14, "tags": 18}
    for index, column in enumerate(QUESTION_COLUMNS, start=1):
        letter = sheet.cell(1, index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column.key, 14)
    return workbook, sheet


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_template() -> bytes:
    """The import template in the active language: headers, one example per question type,
    and a sheet of instructions."""
    workbook, sheet = _workbook(str(gettext_lazy("Questions")))
    blank_options = MAX_OPTIONS
    for start, tail in zip(EXAMPLES, EXAMPLE_TAILS, strict=True):
        options = start[2:] + [""] * (blank_options - len(start[2:]))
        sheet.append([*start[:2], *options, *tail])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes = workbook.create_sheet(str(gettext_lazy("Instructions")))
    for line in (
        [_("Columns marked * are required. Rows 2–5 are examples; replace them.")],
        [_("Question type"), allowed_labels(Question.Type.choices)],
        [_("Answer"), _("Single choice: one letter (B). Multiple choice: letters (ABD).")],
        ["", _("True or false: 对 or 错. Fill in the blank: accepted answers separated by |.")],
        [_("Difficulty"), allowed_labels(Question.Difficulty.choices)],
        [_("Knowledge points"), _("Several, separated by 、 or commas.")],
        [_("Duplicates"), _("A question already in the bank is skipped and listed, not added.")],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    return _save(workbook)


def _true_is_correct(options: list[QuestionOption]) -> bool:
    """Whether a true-or-false question's answer is "true", whatever order or words the
    trainer gave its two options (the first is "true" unless its text says otherwise)."""
    correct = next((o for o in options if o.is_correct), None)
    if correct is None:
        return False
    word = unicodedata.normalize("NFKC", correct.text).strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    return options.index(correct) == 0


def export_bank(bank: QuestionBank) -> bytes:
    """The bank's questions in the import format, so the file can be edited and imported into
    another bank (or back: then every row is a duplicate)."""
    workbook, sheet = _workbook(bank.name)
    questions = (
        Question.objects.filter(bank=bank).prefetch_related("options", "tags").order_by("pk")
    )
    labels = dict(Question.Type.choices)
    difficulties = dict(Question.Difficulty.choices)
    for question in questions:
        options = sorted(question.options.all(), key=lambda o: (o.sort_order, o.pk))
        if question.type == Question.Type.FILL_BLANK:
            option_texts, answer = [], "|".join(question.accepted_answer_list())
        elif question.type == Question.Type.TRUE_FALSE:
            option_texts = []
            answer = "对" if _true_is_correct(options) else "错"
        else:
            option_texts = [o.text for o in options[:MAX_OPTIONS]]
            answer = "".join(
                LETTERS[i] for i, o in enumerate(options[:MAX_OPTIONS]) if o.is_correct
            )
        row = [
            str(labels[question.type]),
            question.stem,
            *(option_texts + [""] * (MAX_OPTIONS - len(option_texts))),
            answer,
            question.explanation,
            str(difficulties[question.difficulty]),
            "、".join(sorted(t.name for t in question.tags.all())),
            question.score,
        ]
        # A question typed as `=1+1` must come out as that text, not a formula; importing the
        # file again takes the marker off (`cell_text`).
        sheet.append([safe_cell(value) for value in row])
    return _save(workbook)
