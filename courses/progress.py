"""Watch-time arithmetic and the heartbeat: how played intervals become credited seconds.

`record_heartbeat` is the one place that decides what a heartbeat may credit. The interval
helpers are plain functions on lists of [start, end] seconds so they can be tested alone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lms.accounts.models import User
from lms.core import days
from lms.core.locking import lock_or_create

from .models import DailyStudyTime, Enrollment, LessonPage, LessonProgress, StudyClock

# Fastest playback rate the player offers: wall time × this bounds what can have been played.
MAX_PLAYBACK_RATE = 2.0
# Slack for network jitter between when the player measured and when the server received.
TOLERANCE_SECONDS = 3.0
# The player reports every 10–15 s; a longer silence (tab asleep, network gone) is not credited
# beyond this, whatever the client claims happened meanwhile.
MAX_HEARTBEAT_GAP_SECONDS = 60.0
MAX_INTERVALS_PER_HEARTBEAT = 200
MAX_ALLOWANCE_SECONDS = MAX_HEARTBEAT_GAP_SECONDS * MAX_PLAYBACK_RATE + TOLERANCE_SECONDS

Interval = tuple[float, float]


def clean_intervals(raw: list, duration: float | None) -> list[Interval]:
    """The usable part of what a client sent, in the order sent.

    Drops anything that is not a pair of finite numbers, reversed or empty intervals, and
    clips the rest to [0, duration] (to [0, ∞) while the duration is unknown).
    """
    upper = duration if duration and duration > 0 else float("inf")
    cleaned: list[Interval] = []
    for item in raw[:MAX_INTERVALS_PER_HEARTBEAT]:
        if not isinstance(item, list | tuple) or len(item) != 2:
            continue
        start, end = item
        if isinstance(start, bool) or isinstance(end, bool):
            continue
        if not isinstance(start, int | float) or not isinstance(end, int | float):
            continue
        start, end = max(0.0, float(start)), min(upper, float(end))
        if not (start == start and end == end) or end <= start:  # NaN compares unequal
            continue
        cleaned.append((start, end))
    return cleaned


def truncate_to_budget(intervals: list[Interval], budget: float) -> list[Interval]:
    """The first `budget` seconds of playing, in the order played; the rest is dropped."""
    kept: list[Interval] = []
    left = max(0.0, budget)
    for start, end in intervals:
        if left <= 0:
            break
        length = min(end - start, left)
        kept.append((start, start + length))
        left -= length
    return kept


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same seconds (touching ones joined)."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def total_seconds(intervals: list[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def replenish_allowance(
    allowance: float, last_heartbeat_at: datetime | None, now: datetime
) -> float:
    """The seconds of video the member may still be credited: what was left, plus the wall
    time since the player's last heartbeat at up to MAX_PLAYBACK_RATE, never more than a
    longest silence's worth (so idle time does not pile up)."""
    if last_heartbeat_at is None:
        return allowance
    elapsed = min(max(0.0, (now - last_heartbeat_at).total_seconds()), MAX_HEARTBEAT_GAP_SECONDS)
    return min(MAX_ALLOWANCE_SECONDS, allowance + elapsed * MAX_PLAYBACK_RATE)


def reading_credit(last_heartbeat_at: datetime | None, now: datetime) -> float:
    """Seconds on the lesson page since the last heartbeat (long silences capped)."""
    if last_heartbeat_at is None:
        return 0.0
    return min(max(0.0, (now - last_heartbeat_at).total_seconds()), MAX_HEARTBEAT_GAP_SECONDS)


def credit_study_time(clock: StudyClock, seconds: float, now: datetime) -> float:
    """Add up to `seconds` of study to the member's row for `now`'s day; returns what was
    credited. Call inside the heartbeat's transaction, with the member's clock locked.

    Each lesson measures its own time on the page, so two lessons open side by side would
    both claim the same minutes; the member's day is therefore never credited more than the
    wall time since their previous credit on any lesson (the clock's `last_study_credit_at`).
    """
    if seconds <= 0:
        return 0.0
    credit = seconds
    if clock.last_study_credit_at is not None:
        credit = min(credit, max(0.0, (now - clock.last_study_credit_at).total_seconds()))
        now = max(now, clock.last_study_credit_at)
    clock.last_study_credit_at = now
    row = lock_or_create(DailyStudyTime, member_id=clock.member_id, day=days.day_of(now))
    row.seconds = round(row.seconds + credit, 3)
    row.save(update_fields=["seconds"])
    return credit


@dataclass
class HeartbeatResult:
    """What the heartbeat endpoint answers."""

    unique_watched_seconds: float
    percent: float
    completed: bool
    resume_position: float
    read_seconds: float


class NotEnrolled(Exception):
    """The member has not enrolled in the lesson's course; nothing is recorded."""


def start_clocks(clock: StudyClock, progress: LessonProgress, now: datetime) -> None:
    """The member opened the lesson (its page's or app screen's first beacon): start the
    clocks later heartbeats are measured against — the lesson's reading clock, and the
    member's video clock with TOLERANCE_SECONDS of allowance — unless a heartbeat has arrived
    recently (another tab is busy). Both rows are locked by the caller and saved by it."""
    cutoff = now - timedelta(seconds=MAX_HEARTBEAT_GAP_SECONDS)
    if clock.last_video_heartbeat_at is None or clock.last_video_heartbeat_at < cutoff:
        clock.last_video_heartbeat_at = now
        clock.video_allowance = TOLERANCE_SECONDS
    if progress.last_heartbeat_at is None or progress.last_heartbeat_at < cutoff:
        progress.last_heartbeat_at = now


def record_heartbeat(
    user: User,
    lesson: LessonPage,
    *,
    position: float | None,
    played: list,
    opened: bool = False,
    now: datetime | None = None,
) -> HeartbeatResult:
    """Credit one heartbeat from the player and answer the member's progress.

    The rule, in one place:
    - Only members enrolled in the lesson's course are credited (`NotEnrolled` otherwise).
    - No video, no video seconds: a lesson without a (probed) lecture video credits no played
      time, whatever the client claims.
    - Claimed intervals are cleaned (reversed, empty, malformed dropped; clipped to
      [0, video duration]).
    - Wall time bounds how much can have been played: the member's allowance (StudyClock,
      shared by every lesson, so N lessons playing at once share one) grows by
      MAX_PLAYBACK_RATE seconds per second since any player's previous heartbeat (silences
      count at most MAX_HEARTBEAT_GAP_SECONDS) and every claimed second spends it, re-watched
      ones too; claims beyond it are cut, in the order played. The clock starts with the
      beacon that says a lesson was `opened` (`start_clocks`), with TOLERANCE_SECONDS for
      network jitter; without one the first heartbeat credits nothing. Slack is never added per
      heartbeat, so however many heartbeats arrive from however many lessons, the total
      credited stays within MAX_PLAYBACK_RATE × wall time (+ the tolerance), and a replayed
      heartbeat adds nothing: its seconds are counted already.
    - What remains is merged into the watched intervals; unique watched seconds are their
      total length, never more than the duration.
    - Time on the page since the previous heartbeat of any kind counts as reading time (the
      lesson page sends heartbeats without `position` or `played`; they credit no video and
      leave the player's clock alone).
    - The resume position is stored (clipped to the video), when the heartbeat carries one.
    - The reading time also counts as the member's study time of the day
      (`credit_study_time`), in the same transaction.
    The member's clock, then the progress row, are locked for the whole update, so two
    heartbeats at once (from one lesson or several) lose nothing and take turns.
    After it, the lesson's completion rule is evaluated and video minutes become points.
    """
    from .completion import update_lesson_completion
    from .points import award_video_minutes

    course = lesson.course
    if course is None or not Enrollment.objects.filter(user=user, course=course).exists():
        raise NotEnrolled
    duration = lesson.video_duration()
    with transaction.atomic():
        clock = lock_or_create(StudyClock, member=user)
        progress = lock_or_create(LessonProgress, user=user, lesson=lesson)
        # Read the clock once the locks are held: a heartbeat that waited for another one must
        # measure from that one's time, not from before it.
        now = now or timezone.now()
        if opened:
            start_clocks(clock, progress, now)
        from_player = position is not None or bool(played)
        if from_player:
            allowance = replenish_allowance(
                clock.video_allowance, clock.last_video_heartbeat_at, now
            )
            claimed = (
                truncate_to_budget(clean_intervals(played, duration), allowance) if duration else []
            )
            clock.video_allowance = round(allowance - total_seconds(claimed), 3)
            clock.last_video_heartbeat_at = now
            watched = merge_intervals([*map(tuple, progress.watched), *claimed])
            progress.watched = [[round(s, 3), round(e, 3)] for s, e in watched]
            progress.unique_watched_seconds = round(total_seconds(watched), 3)
            if duration and isinstance(position, int | float) and position == position:
                progress.resume_position = round(min(max(0.0, float(position)), duration), 3)
        reading = reading_credit(progress.last_heartbeat_at, now)
        progress.read_seconds += reading
        progress.last_heartbeat_at = now
        progress.save()
        credit_study_time(clock, reading, now)
        clock.save()
        Enrollment.objects.filter(user=user, course=course).update(
            last_lesson=lesson, last_activity_at=now
        )
        update_lesson_completion(user, lesson, progress, now=now)
        award_video_minutes(progress)
    return HeartbeatResult(
        unique_watched_seconds=progress.unique_watched_seconds,
        percent=progress.watched_percent(duration),
        completed=progress.is_completed,
        resume_position=progress.resume_position,
        read_seconds=round(progress.read_seconds, 1),
    )
