"""Catalogue search finds words inside unsegmented Chinese (runs on SQLite and PostgreSQL:
CI runs the suite on both)."""

import pytest
from django.core.management import call_command

from courses.catalog import matching_course_ids
from courses.search import cjk_index_text, search_query

from .pages import add_course, add_lesson, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(catalog):
    history = add_course(
        catalog, "中国共产党历史学习", summary="回顾党领导人民进行革命建设改革的光辉历程。"
    )
    add_lesson(history, "第一课", [text("<p>遵义会议在党的历史上具有伟大转折意义。</p>")])
    rules = add_course(catalog, "党章党规专题", summary="学习中国共产党章程和纪律处分条例。")
    economy = add_course(catalog, "数字经济概论", summary="Digital economy for cadres")
    call_command("update_index", verbosity=0)
    return {"history": history, "rules": rules, "economy": economy}


def test_index_text_holds_bigrams_in_order_and_characters():
    assert cjk_index_text("<p>党支部</p>") == "党支 支部 党 支 部"


def test_query_becomes_the_phrase_of_its_bigrams():
    assert repr(search_query("党支部")) == "<Phrase '党支 支部'>"
    assert search_query("  ") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("共产党", {"history", "rules"}),  # inside titles
        ("历史", {"history"}),
        ("纪律处分", {"rules"}),  # inside a summary
        ("遵义会议", {"history"}),  # inside a lesson body
        ("转折", {"history"}),
        ("党章", {"rules"}),
        ("经济", {"economy"}),
        ("digital", {"economy"}),
        ("党 历程", {"history"}),  # several words: all must occur
        ("会议遵义", set()),  # the characters, but not as a word
        ("量子力学", set()),
    ],
)
def test_chinese_words_inside_titles_summaries_and_lessons(courses, query, expected):
    found = matching_course_ids(query)
    assert found == {courses[name].pk for name in expected}


def test_catalogue_page_search(client, people, courses, catalog):
    client.force_login(people["member_a1"])

    response = client.get(catalog.url, {"q": "遵义会议"})

    assert response.status_code == 200
    titles = [card["course"].title for card in response.context["cards"]]
    assert titles == ["中国共产党历史学习"]


def test_a_search_that_finds_nothing_suggests_topics(client, people, course, topic):
    client.force_login(people["member_a1"])

    html = client.get(course.get_parent().url, {"q": "不存在的关键词"}).content.decode()

    assert "试试这些主题" in html and f'href="?topic={topic.pk}"' in html
