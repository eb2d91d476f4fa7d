"""Every catalogue is complete, and no message has two different Chinese translations.

Django merges all catalogues into one: LOCALE_PATHS (lms/locale) wins over the apps, and an
app listed earlier in INSTALLED_APPS wins over a later one. If "Ready" means 已就绪 in one app
and 已完成 in another, one of them silently shows the other's word. Words whose meaning differs
by place carry a context (pgettext) instead.
"""

from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.trans_real import to_locale

CATALOGUES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def _entries(path: Path):
    """(context, msgid, msgstr) of each translated entry, read with the stdlib only."""
    entries, current, field = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if current.get("msgid"):
                entries.append(current)
            current, field = {}, None
            continue
        if line.startswith("#"):
            if ", fuzzy" in line:
                current["fuzzy"] = True
            continue
        for key in ("msgctxt", "msgid_plural", "msgid", "msgstr[0]", "msgstr"):
            if line.startswith(key + " "):
                field = key.replace("[0]", "")
                current[field] = _unquote(line[len(key) + 1 :])
                break
        else:
            if line.startswith('"') and field:
                current[field] += _unquote(line)
    return [
        (e.get("msgctxt"), e["msgid"], e.get("msgstr", ""), e.get("fuzzy", False)) for e in entries
    ]


def _unquote(text: str) -> str:
    return text[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def test_there_are_catalogues():
    assert to_locale(settings.LANGUAGE_CODE) == "zh_Hans"
    assert any("lms" in str(p) for p in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_message_is_translated(path):
    missing = [msgid for _ctx, msgid, msgstr, fuzzy in _entries(path) if not msgstr or fuzzy]
    assert missing == []


def test_no_message_has_two_different_translations():
    translations = defaultdict(dict)
    for path in CATALOGUES:
        owner = str(path.relative_to(settings.BASE_DIR)).split("/locale")[0]
        for context, msgid, msgstr, _fuzzy in _entries(path):
            if msgstr:
                translations[(context, msgid)][owner] = msgstr
    conflicts = {key: found for key, found in translations.items() if len(set(found.values())) > 1}
    assert conflicts == {}
