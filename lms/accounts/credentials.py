"""Initial passwords: one of its own for each new account, shown once to the admin who made it.

An import (or an admin creating an account by hand) gives every new account a random password
(`new_initial_password`), stored with the light `hashers.InitialPasswordHasher` so that 10 000
accounts take seconds, not hours. The passwords wait in an `InitialPasswordSheet` for one
download by that admin (`take_sheet`), which empties it; the audit log says "issued" for each
account and "downloaded" for the sheet, never the password itself. A sheet nobody downloads is
deleted after `ACCOUNTS_PASSWORD_SHEET_HOURS` (`delete_expired_sheets`).
"""

import datetime as dt
import io
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.core.audit import record_audit
from lms.core.tabular import safe_cell
from lms.orgs.models import PartyOrganization

from .hashers import InitialPasswordHasher
from .models import InitialPasswordSheet, User

# No 0/o, 1/l/i: read off a printed slip and typed on a phone without doubt.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH, GROUP = 16, 4  # 31 ** 16: 79 bits, written as four groups of four
_HASHER = InitialPasswordHasher()


def new_initial_password() -> tuple[str, str]:
    """A random initial password ("k7mp-4xq9-tc3w-hn8r") and its stored (hashed) form."""
    # One draw from the operating system's generator per password, written in base 31 (not one
    # draw per character): an import makes thousands of these.
    number, characters = secrets.randbelow(len(ALPHABET) ** LENGTH), ""
    for _position in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        characters += ALPHABET[digit]
    password = "-".join(characters[i : i + GROUP] for i in range(0, LENGTH, GROUP))
    return password, make_password(password, salt=secrets.token_urlsafe(16), hasher=_HASHER)


@dataclass
class IssuedPassword:
    """A new account and the initial password it was given."""

    user: User
    password: str
    real_name: str = ""
    organization: PartyOrganization | None = None


def issue_sheet(
    issued: list[IssuedPassword],
    *,
    by: User,
    source: str,
    request: HttpRequest | None = None,
) -> InitialPasswordSheet:
    """Keep `issued` for its one download by `by` and audit each account's password as issued.
    Call it in the transaction that created the accounts: both happen or neither."""
    sheet = InitialPasswordSheet.objects.create(
        issued_by=by,
        source=str(source)[:200],
        accounts=len(issued),
        entries=[
            [item.user.username, item.real_name, str(item.organization or ""), item.password]
            for item in issued
        ],
    )
    for item in issued:
        record_audit(
            request,
            "account.password_issued",
            target=item.user.username,
            organization=item.organization,
            actor=by,
            sheet=str(sheet.pk),
        )
    return sheet


class SheetRefused(Exception):
    """The sheet cannot be downloaded (any more); the message says why, in the user's language."""


def sheet_for(user: User, sheet_id: uuid.UUID) -> InitialPasswordSheet | None:
    """The sheet `user` issued, if it still exists."""
    return InitialPasswordSheet.objects.filter(pk=sheet_id, issued_by=user).first()


def expired(sheet: InitialPasswordSheet) -> bool:
    return sheet.expires_at <= timezone.now()


def take_sheet(
    user: User, sheet_id: uuid.UUID, *, request: HttpRequest | None = None
) -> tuple[InitialPasswordSheet, bytes]:
    """The sheet's passwords as an .xlsx, once: the sheet is emptied in the same transaction,
    so a second request (even a simultaneous one) is refused with `SheetRefused`. Only its
    issuer finds it (`InitialPasswordSheet.DoesNotExist` for anyone else)."""
    with transaction.atomic():
        sheet = InitialPasswordSheet.objects.select_for_update().get(pk=sheet_id, issued_by=user)
        if sheet.downloaded_at is not None or expired(sheet):
            refusal = _refusal(sheet)
            if expired(sheet):
                sheet.delete()
        else:
            refusal = None
            workbook = _workbook(sheet.entries)
            sheet.entries = []
            sheet.downloaded_at = timezone.now()
            sheet.save(update_fields=["entries", "downloaded_at"])
            record_audit(
                request,
                "account.passwords_downloaded",
                target=str(sheet.pk),
                actor=user,
                accounts=sheet.accounts,
            )
    if refusal is not None:
        raise SheetRefused(refusal)
    return sheet, workbook


def _refusal(sheet: InitialPasswordSheet) -> str:
    if sheet.downloaded_at is not None:
        return _(
            "These initial passwords were already downloaded on %(when)s; they are shown only "
            "once. Reset the password of a member who lost theirs."
        ) % {"when": timezone.localtime(sheet.downloaded_at).strftime("%Y-%m-%d %H:%M")}
    return _("These initial passwords have expired: nobody downloaded them in time.")


def _workbook(entries: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Initial passwords")
    header = [_("Username"), _("Real name"), _("Organisation"), _("Initial password")]
    sheet.append([safe_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in entries:
        sheet.append([safe_cell(value) for value in row])
    for letter, width in zip("ABCD", (18, 14, 28, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([])
    note = _("Each member logs in once with this password and must then choose their own.")
    sheet.append([safe_cell(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def delete_expired_sheets() -> int:
    """Delete the sheets older than `ACCOUNTS_PASSWORD_SHEET_HOURS`, downloaded or not."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.ACCOUNTS_PASSWORD_SHEET_HOURS)
    deleted, _by_model = InitialPasswordSheet.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- a forgotten password: a one-time link a branch head or an admin hands over ---------------
# SMS is not available everywhere, so a member who forgot their password asks their branch
# head (or an admin), who makes a link that sets a new password once: Django's password-reset
# token, valid PASSWORD_RESET_TIMEOUT and void as soon as the password changes or the member
# logs in.


def reset_link(request: HttpRequest, member: User) -> str:
    """The absolute one-time link that lets `member` choose a new password; audited."""
    path = reverse(
        "accounts:password_reset",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    record_audit(request, "account.reset_link_issued", target=member.username)
    return request.build_absolute_uri(path)
