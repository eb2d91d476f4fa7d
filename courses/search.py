"""Chinese search on the database search backend.

Wagtail's database backend (SQLite FTS5, PostgreSQL tsvector) splits text at spaces and
punctuation only, so an unsegmented Chinese sentence is one "word" and a query for a word
inside it finds nothing. Pages therefore also index their Chinese text as character bigrams in
reading order ("党支部建设" → "党支 支部 部建 建设") plus the single characters, and a query is
turned into the phrase of its own bigrams: consecutive bigrams match exactly where the query
occurs as a substring, on both backends, with the backend's own index and ranking.
"""

import re

from django.utils.html import strip_tags
from wagtail.search.query import And, Phrase, PlainText, SearchQuery

# CJK unified ideographs (with extension A and the compatibility block).
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_QUERY_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_]+")
MAX_QUERY_TOKENS = 12


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_index_text(*texts: str | None) -> str:
    """What to index for the Chinese in `texts` (HTML allowed): bigram sequences, then each
    distinct character once (so one-character queries match too)."""
    sequences: list[str] = []
    characters: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for run in _CJK_RUN.findall(strip_tags(str(text))):
            if len(run) > 1:
                sequences.append(" ".join(_bigrams(run)))
            characters.update(dict.fromkeys(run))
    return " ".join([*sequences, *characters])


def search_query(text: str) -> SearchQuery | None:
    """The backend query for what a member typed: every Chinese run as the phrase of its
    bigrams, every other word as itself, all of them required. None for an empty query."""
    parts: list[SearchQuery] = []
    for token in _QUERY_TOKEN.findall(text)[:MAX_QUERY_TOKENS]:
        if _CJK_RUN.fullmatch(token) and len(token) > 1:
            parts.append(Phrase(" ".join(_bigrams(token))))
        else:
            parts.append(PlainText(token.lower()))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)
