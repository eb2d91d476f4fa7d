"""Members' names in the order Chinese readers expect: by pinyin, surname first (按姓氏拼音排序).

Unicode orders Chinese characters by radical and stroke, which reads as no order at all; lists
of members sort by `MemberProfile.name_sort_key`, made here with pypinyin. A surname read
differently from the same character in ordinary words (单 shàn, not dān) gets its surname
reading. Latin names sort among the pinyin ones, as on a phone's contact list.
"""

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 255

# Surnames whose reading differs from the character's common one (多音字姓氏), tone-numbered
# like pypinyin's TONE3 style. Two-character surnames are matched first.
SURNAME_READINGS = {
    "万俟": "mo4 qi2",
    "尉迟": "yu4 chi2",
    "长孙": "zhang3 sun1",
    "单": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "查": "zha1",
    "朴": "piao2",
    "盖": "ge3",
    "乐": "yue4",
    "覃": "qin2",
    "缪": "miao4",
    "翟": "zhai2",
    "召": "shao4",
    "种": "chong2",
    "秘": "bi4",
    "句": "gou1",
    "隗": "wei3",
    "繁": "po2",
}
_SURNAMES = sorted(SURNAME_READINGS, key=len, reverse=True)


def name_sort_key(name: str) -> str:
    """'单田芳' → 'shan4 tian2 fang1': syllables with tone numbers, so names sort by sound,
    then tone (李安 'li3 an1' before 连战 'lian2 zhan4', as in a dictionary)."""
    name = (name or "").strip()
    syllables: list[str] = []
    for surname in _SURNAMES:
        if name.startswith(surname):
            syllables = SURNAME_READINGS[surname].split()
            name = name[len(surname) :]
            break
    syllables += lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(s.strip().lower() for s in syllables if s.strip())[:MAX_LENGTH]
