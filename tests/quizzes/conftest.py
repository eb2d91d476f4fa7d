"""Fixtures for quizzes and points: the default point rules, banks with questions, quizzes."""

import pytest

from .factories import make_bank, make_quiz


@pytest.fixture
def bank(org_tree):
    """The committee's bank (its trainer manages it) with two questions of each type, tagged
    党史 or 党章."""
    return make_bank(organization=org_tree["committee"])


@pytest.fixture
def quiz(bank):
    """A fixed quiz of the bank's eight questions, pass mark 60 %, answers shown."""
    return make_quiz(bank)
