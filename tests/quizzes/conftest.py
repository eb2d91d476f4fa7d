"""Fixtures for quizzes and points: the default point rules, banks with questions, quizzes."""

import pytest

from .factories import make_bank, make_quiz


@pytest.fixture
def bank(db):
    """A bank with two questions of each type, tagged 党史 or 党章."""
    return make_bank()


@pytest.fixture
def quiz(bank):
    """A fixed quiz of the bank's eight questions, pass mark 60 %, answers shown."""
    return make_quiz(bank)
