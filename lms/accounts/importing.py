"""Bulk import of organisations and members from .xlsx or .csv files.

Two steps, same code: `check_*` reads and validates every row and returns a report listing each
bad row with its row number and reason; `import_*` does the same inside one transaction and
writes only when no row is bad (all-or-nothing). Templates come from `build_template`. Each new
member gets a random initial password of their own (`credentials`), kept in the report's
`password_sheet` for the importing admin's one download.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

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
)
from lms.orgs.models import PartyOrganization
from lms.orgs.services import record_arrivals, transfer_member

from . import credentials
from .models import InitialPasswordSheet, MemberProfile, User, mobile_phone_validator
from .names import name_sort_key

__all__ = ["Column", "ImportFileError", "ImportReport", "RowError", "read_table"]


@dataclass
class MemberImportReport(ImportReport):
    """A members import's report, with the initial passwords of the accounts it created."""

    password_sheet: InitialPasswordSheet | None = None


ORGANIZATION_COLUMNS = [
    Column("code", gettext_lazy("Organisation code"), required=True, example="W01"),
    Column("name", gettext_lazy("Organisation name"), required=True, example="中共某某委员会"),
    Column("parent_code", gettext_lazy("Parent organisation code"), example=""),
    Column("kind", gettext_lazy("Organisation type"), required=True, example="党委"),
]

MEMBER_COLUMNS = [
    Column("username", gettext_lazy("Username"), required=True, example="zhangsan"),
    Column("real_name", gettext_lazy("Real name"), required=True, example="张三"),
    Column("gender", gettext_lazy("Gender"), example="男"),
    Column("phone", gettext_lazy("Mobile phone"), example="13800138000"),
    Column("category", gettext_lazy("Category"), required=True, example="正式党员"),
    Column("joined_party_on", gettext_lazy("Date joined the party"), example="2010-07-01"),
    Column("birth_date", gettext_lazy("Date of birth"), example="1985-03-12"),
    Column("position", gettext_lazy("Position"), example="党员"),
    Column("organization_code", gettext_lazy("Organisation code"), required=True, example="D01"),
]

KINDS = {"organizations": ORGANIZATION_COLUMNS, "members": MEMBER_COLUMNS}


# --- value parsing ---------------------------------------------------------------------------

_DATE_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    match = _DATE_PATTERN.match(str(value).strip())
    if not match:
        raise ValueError
    return dt.date(*(int(part) for part in match.groups()))


# --- organisations ---------------------------------------------------------------------------


def _validate_organizations(records, report: ImportReport) -> list[dict]:
    columns = {c.key: c for c in ORGANIZATION_COLUMNS}
    kinds = choice_lookup(PartyOrganization.Kind.choices)
    existing = {o.code: o for o in PartyOrganization.objects.all()}
    code_counts = Counter(str(r["code"]) for _n, r in records if r.get("code"))
    clean: list[dict] = []
    for number, record in records:
        row_ok = True
        for key, column in columns.items():
            if column.required and record.get(key) in ("", None):
                report.add(number, column, _("This column is required."))
                row_ok = False
        code = str(record.get("code", ""))
        if code and code_counts[code] > 1:
            report.add(
                number,
                columns["code"],
                _("Code %(code)s appears more than once in the file.") % {"code": code},
            )
            row_ok = False
        kind = kinds.get(str(record.get("kind", "")).lower())
        if record.get("kind") and kind is None:
            report.add(
                number,
                columns["kind"],
                _("Unknown type “%(value)s”; use one of: %(allowed)s.")
                % {
                    "value": record["kind"],
                    "allowed": allowed_labels(PartyOrganization.Kind.choices),
                },
            )
            row_ok = False
        if row_ok:
            clean.append(
                {
                    "row": number,
                    "code": code,
                    "name": str(record["name"])[:120],
                    "kind": kind,
                    "parent_code": str(record.get("parent_code") or ""),
                }
            )

    in_file = {c["code"]: c for c in clean}
    for item in clean:
        parent_code = item["parent_code"]
        current = existing.get(item["code"])
        if parent_code and parent_code not in in_file and parent_code not in existing:
            report.add(
                item["row"],
                columns["parent_code"],
                _("Parent organisation %(code)s exists neither in the file nor in the system.")
                % {"code": parent_code},
            )
        elif parent_code == item["code"]:
            report.add(
                item["row"], columns["parent_code"], _("An organisation cannot be its own parent.")
            )
        if current is not None:
            current_parent = current.get_parent()
            current_parent_code = current_parent.code if current_parent else ""
            if current_parent_code != parent_code:
                report.add(
                    item["row"],
                    columns["parent_code"],
                    _(
                        "Organisation %(code)s already exists under “%(parent)s”; move it in the "
                        "admin instead of by import."
                    )
                    % {"code": item["code"], "parent": current_parent_code or "—"},
                )
    # A cycle inside the file (A under B, B under A) never reaches an existing root.
    for item in clean:
        seen = set()
        code = item["code"]
        while code in in_file and code not in existing and code not in seen:
            seen.add(code)
            code = in_file[code]["parent_code"]
        if code in seen:
            report.add(item["row"], columns["parent_code"], _("The parent codes form a cycle."))
    return clean


def _apply_organizations(clean: list[dict], report: ImportReport) -> None:
    by_code = {o.code: o for o in PartyOrganization.objects.all()}
    pending = list(clean)
    while pending:
        progressed = False
        for item in list(pending):
            parent = by_code.get(item["parent_code"]) if item["parent_code"] else None
            if item["parent_code"] and parent is None:
                continue  # its parent comes later in the file
            current = by_code.get(item["code"])
            if current is not None:
                if (current.name, current.kind) != (item["name"], item["kind"]):
                    current.name, current.kind = item["name"], item["kind"]
                    current.save(update_fields=["name", "kind"])
                    report.updated += 1
            else:
                fields = {"code": item["code"], "name": item["name"], "kind": item["kind"]}
                if parent is None:
                    node = PartyOrganization.add_root(**fields)
                else:
                    parent.refresh_from_db()  # treebeard keeps numchild on the row
                    node = parent.add_child(**fields)
                by_code[node.code] = node
                report.created += 1
            pending.remove(item)
            progressed = True
        if not progressed:  # validation rules out cycles; this is the belt to its braces
            raise RuntimeError("organisation import made no progress")


def check_organizations(upload: IO[bytes], filename: str) -> ImportReport:
    return _run(ImportReport(kind="organizations"), upload, filename)


def import_organizations(
    upload: IO[bytes], filename: str, *, by: User | None = None
) -> ImportReport:
    report = ImportReport(kind="organizations")
    return _run(report, upload, filename, apply=lambda clean: _apply_organizations(clean, report))


# --- members ---------------------------------------------------------------------------------

_username_validator = UnicodeUsernameValidator()


def _validate_members(records, report: ImportReport) -> list[dict]:
    columns = {c.key: c for c in MEMBER_COLUMNS}
    categories = choice_lookup(MemberProfile.Category.choices)
    genders = choice_lookup(MemberProfile.Gender.choices)
    organizations = {o.code: o for o in PartyOrganization.objects.all()}
    usernames = Counter(str(r["username"]).lower() for _n, r in records if r.get("username"))
    phones = Counter(str(r["phone"]) for _n, r in records if r.get("phone"))
    existing_users = {
        u.username.lower(): u
        for u in User.objects.filter(
            username__in=[str(r["username"]) for _n, r in records if r.get("username")]
        ).select_related("profile")
    }
    phone_owners = dict(
        MemberProfile.objects.filter(phone__in=list(phones)).values_list("phone", "user__username")
    )
    today = timezone.localdate()
    clean: list[dict] = []

    for number, record in records:
        errors_before = len(report.errors)
        for key, column in columns.items():
            if column.required and record.get(key) in ("", None):
                report.add(number, column, _("This column is required."))

        username = str(record.get("username") or "")
        if username:
            try:
                _username_validator(username)
                if len(username) > 150:
                    raise ValidationError("too long")
            except ValidationError:
                report.add(
                    number,
                    columns["username"],
                    _("Username may contain only letters, digits and @ . + - _ (at most 150)."),
                )
            if usernames[username.lower()] > 1:
                report.add(
                    number,
                    columns["username"],
                    _("Username %(name)s appears more than once in the file.") % {"name": username},
                )

        phone = str(record.get("phone") or "")
        if phone:
            try:
                mobile_phone_validator(phone)
            except ValidationError:
                report.add(
                    number,
                    columns["phone"],
                    _("%(value)s is not an 11-digit mobile number.") % {"value": phone},
                )
            if phones[phone] > 1:
                report.add(
                    number,
                    columns["phone"],
                    _("Phone %(phone)s appears more than once in the file.") % {"phone": phone},
                )
            owner = phone_owners.get(phone)
            if owner is not None and owner.lower() != username.lower():
                report.add(
                    number,
                    columns["phone"],
                    _("Phone %(phone)s already belongs to user %(owner)s.")
                    % {"phone": phone, "owner": owner},
                )

        category = categories.get(str(record.get("category") or "").lower())
        if record.get("category") and category is None:
            report.add(
                number,
                columns["category"],
                _("Unknown category “%(value)s”; use one of: %(allowed)s.")
                % {
                    "value": record["category"],
                    "allowed": allowed_labels(MemberProfile.Category.choices),
                },
            )
        gender: str | None = ""
        if record.get("gender"):
            gender = genders.get(str(record["gender"]).lower())
            if gender is None:
                report.add(
                    number,
                    columns["gender"],
                    _("Unknown gender “%(value)s”; use one of: %(allowed)s.")
                    % {
                        "value": record["gender"],
                        "allowed": allowed_labels(MemberProfile.Gender.choices),
                    },
                )

        dates: dict[str, dt.date | None] = {}
        for key in ("joined_party_on", "birth_date"):
            dates[key] = None
            if record.get(key):
                try:
                    day = _parse_date(record[key])
                except ValueError:
                    report.add(
                        number,
                        columns[key],
                        _("“%(value)s” is not a date; write it as 2021-07-01.")
                        % {"value": record[key]},
                    )
                    continue
                dates[key] = day
                if day > today:
                    report.add(number, columns[key], _("The date is in the future."))
        if (
            dates["joined_party_on"]
            and dates["birth_date"]
            and dates["joined_party_on"] <= dates["birth_date"]
        ):
            report.add(number, columns["joined_party_on"], _("Joined the party before being born."))

        org_code = str(record.get("organization_code") or "")
        organization = organizations.get(org_code)
        if org_code and organization is None:
            report.add(
                number,
                columns["organization_code"],
                _("No organisation has the code %(code)s; import the organisations first.")
                % {"code": org_code},
            )

        if len(report.errors) == errors_before:
            clean.append(
                {
                    "row": number,
                    "username": username,
                    "existing": existing_users.get(username.lower()),
                    "profile": {
                        "real_name": str(record["real_name"])[:50],
                        "gender": gender,
                        "phone": phone,
                        "category": category,
                        "joined_party_on": dates["joined_party_on"],
                        "birth_date": dates["birth_date"],
                        "position": str(record.get("position") or "")[:100],
                    },
                    "organization": organization,
                }
            )
    return clean


def _apply_members(clean: list[dict], report: MemberImportReport, *, by: User, source: str) -> None:
    new = [item for item in clean if item["existing"] is None]
    if new:
        passwords = [credentials.new_initial_password() for _item in new]
        users = User.objects.bulk_create(
            [
                User(username=item["username"], password=encoded, must_change_password=True)
                for item, (_password, encoded) in zip(new, passwords, strict=True)
            ]
        )
        if any(u.pk is None for u in users):  # backends that do not return ids
            by_name = User.objects.in_bulk([u.username for u in users], field_name="username")
            users = [by_name[u.username] for u in users]
        MemberProfile.objects.bulk_create(
            [
                MemberProfile(
                    user=user,
                    organization=item["organization"],
                    # bulk_create skips save(), which keeps the sort key of other profiles
                    name_sort_key=name_sort_key(item["profile"]["real_name"]),
                    **item["profile"],
                )
                for user, item in zip(users, new, strict=True)
            ]
        )
        record_arrivals(
            [(user, item["organization"]) for user, item in zip(users, new, strict=True)],
            by=by,
            reason=_("Bulk import"),
        )
        report.created = len(new)
        report.password_sheet = credentials.issue_sheet(
            [
                credentials.IssuedPassword(
                    user=user,
                    password=password,
                    real_name=item["profile"]["real_name"],
                    organization=item["organization"],
                )
                for user, item, (password, _encoded) in zip(users, new, passwords, strict=True)
            ],
            by=by,
            source=source,
        )

    for item in clean:
        user = item["existing"]
        if user is None:
            continue
        profile = getattr(user, "profile", None)
        if profile is None:
            MemberProfile.objects.create(
                user=user, organization=item["organization"], **item["profile"]
            )
            record_arrivals([(user, item["organization"])], by=by, reason=_("Bulk import"))
        else:
            for name, value in item["profile"].items():
                setattr(profile, name, value)
            profile.save()
            if profile.organization_id != item["organization"].pk:
                transfer_member(user, item["organization"], by=by, reason=_("Bulk import"))
        report.updated += 1


def check_members(upload: IO[bytes], filename: str) -> MemberImportReport:
    return _run(MemberImportReport(kind="members"), upload, filename)


def import_members(upload: IO[bytes], filename: str, *, by: User) -> MemberImportReport:
    """Import members; `by`, the importing admin, is the one who may download the new
    accounts' initial passwords (`report.password_sheet`)."""
    report = MemberImportReport(kind="members")
    return _run(
        report,
        upload,
        filename,
        apply=lambda clean: _apply_members(clean, report, by=by, source=filename),
    )


# --- the shared run --------------------------------------------------------------------------


ReportT = TypeVar("ReportT", bound=ImportReport)


def _run(
    report: ReportT,
    upload: IO[bytes],
    filename: str,
    *,
    apply: Callable[[list[dict]], None] | None = None,
) -> ReportT:
    """Read and validate the file of `report.kind` into `report`; with `apply`, validate again
    and write the rows in one transaction if none is bad (without: a dry run)."""
    kind = report.kind
    try:
        header, rows = read_table(upload, filename)
    except ImportFileError as exc:
        report.add(0, None, str(exc))
        return report
    report.rows = len(rows)
    positions = map_columns(header, KINDS[kind], report)
    if positions is None:
        return report
    rows_by_column = records(rows, positions)
    if not rows_by_column:
        report.add(0, None, _("The file has a header but no data rows."))
        return report

    if apply is None:
        clean = _validate(kind, rows_by_column, report)
        if report.ok:
            report.created = sum(1 for c in clean if not _exists(kind, c))
            report.updated = len(clean) - report.created
        return report

    with transaction.atomic():
        # Validate again inside the transaction: what the dry run saw may have changed.
        clean = _validate(kind, rows_by_column, report)
        if not report.ok:
            return report
        apply(clean)
        report.applied = True
    return report


def _validate(kind: str, records, report: ImportReport) -> list[dict]:
    if kind == "organizations":
        return _validate_organizations(records, report)
    return _validate_members(records, report)


def _exists(kind: str, item: dict) -> bool:
    if kind == "organizations":
        return PartyOrganization.objects.filter(code=item["code"]).exists()
    return item["existing"] is not None


# --- templates -------------------------------------------------------------------------------


def build_template(kind: str, fmt: str) -> bytes:
    """The import template, in the active language: header, one example row, allowed values."""
    columns = KINDS[kind]
    headers = [str(c.label) + (" *" if c.required else "") for c in columns]
    example = [c.example for c in columns]
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerow(example)
        return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(
        gettext_lazy("Members") if kind == "members" else gettext_lazy("Organisations")
    )
    sheet.append(headers)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B71C1C")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            14, len(str(column.label)) * 2 + 4
        )
        if column.key in ("phone", "username", "code", "parent_code", "organization_code"):
            for row in range(2, 1002):
                sheet.cell(row, index).number_format = "@"  # text, so leading zeros survive
    notes = workbook.create_sheet(str(gettext_lazy("Instructions")))
    notes.append([_("Columns marked * are required. Row 2 is an example; replace it.")])
    if kind == "members":
        notes.append([_("Category"), allowed_labels(MemberProfile.Category.choices)])
        notes.append([_("Gender"), allowed_labels(MemberProfile.Gender.choices)])
        notes.append([_("Dates"), "2021-07-01"])
    else:
        notes.append([_("Organisation type"), allowed_labels(PartyOrganization.Kind.choices)])
        notes.append([_("Parent organisation code"), _("Leave empty for a top-level committee.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
