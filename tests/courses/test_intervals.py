"""Interval arithmetic behind unique watched seconds."""

from datetime import timedelta

from django.utils import timezone

from courses.progress import (
    MAX_ALLOWANCE_SECONDS,
    clean_intervals,
    merge_intervals,
    replenish_allowance,
    total_seconds,
    truncate_to_budget,
)


def test_overlapping_and_touching_intervals_merge():
    assert merge_intervals([(10, 20), (0, 5), (15, 30), (30, 31)]) == [(0, 5), (10, 31)]


def test_rewatching_adds_no_unique_seconds():
    watched = merge_intervals([(0, 60), (20, 40), (0, 60)])
    assert total_seconds(watched) == 60


def test_reversed_empty_and_malformed_intervals_are_dropped():
    raw = [[30, 10], [5, 5], ["a", 3], [1], [True, 4], [0, 2]]
    assert clean_intervals(raw, duration=100) == [(0, 2)]


def test_intervals_are_clipped_to_the_video():
    assert clean_intervals([[-20, 5], [95, 400], [300, 500]], duration=100) == [(0, 5), (95, 100)]


def test_claims_beyond_the_budget_are_cut_in_the_order_played():
    assert truncate_to_budget([(0, 10), (50, 70), (90, 100)], budget=15) == [(0, 10), (50, 55)]


def test_allowance_grows_at_double_speed_and_is_capped():
    now = timezone.now()
    assert replenish_allowance(3, None, now) == 3
    assert replenish_allowance(3, now - timedelta(seconds=10), now) == 23
    assert replenish_allowance(3, now - timedelta(hours=3), now) == MAX_ALLOWANCE_SECONDS
    assert replenish_allowance(3, now + timedelta(seconds=30), now) == 3  # a clock in the future
