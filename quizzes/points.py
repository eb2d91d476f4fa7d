"""Study points (学习积分): the one place that writes the ledger and keeps its totals.

Every app awards points through `award_points` with a rule code and a stable idempotency key;
the rule's points per event, daily cap and weekly cap decide how much is granted. Awards to one
member are serialised by a row lock on that member's all-time total (SQLite serialises every
writer anyway: its transactions are IMMEDIATE), so twenty simultaneous requests still write one
entry per key and never pass a cap.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from lms.accounts.models import User
from lms.core import days

from .models import DailyRulePoints, PointEntry, PointRule, PointTotal

DAILY_LOGIN = "daily_login"
LESSON_COMPLETED = "lesson_completed"
VIDEO_MINUTES = "video_minutes"
COURSE_COMPLETED = "course_completed"
DAILY_QUIZ_CORRECT = "daily_quiz_correct"
SPECIAL_QUIZ = "special_quiz"
CONTEST_PLACING = "contest_placing"
H5P_COMPLETED = "h5p_completed"
LIVE_ATTENDED = "live_attended"

RULE_CODES = (
    DAILY_LOGIN,
    LESSON_COMPLETED,
    VIDEO_MINUTES,
    COURSE_COMPLETED,
    DAILY_QUIZ_CORRECT,
    SPECIAL_QUIZ,
    CONTEST_PLACING,
    H5P_COMPLETED,
    LIVE_ATTENDED,
)

ALL_TIME_START = dt.date(2000, 1, 1)


def point_key(rule: str, member_id: int, *what: object) -> str:
    """The idempotency key of an award: the rule, the member and what earned it
    ("lesson_completed:12:34", "video_minutes:12:34:5"). Every award builds its key here, so
    a retried or repeated event finds the same key and never pays twice."""
    return ":".join([rule, str(member_id), *(str(part) for part in what)])


# --- what "today", "this week" … mean -----------------------------------------------------


def period_start(period: str, day: dt.date) -> dt.date:
    """First day of the day / week (Monday) / month / year / all time containing `day`."""
    if period == PointTotal.Period.DAY:
        return day
    if period == PointTotal.Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period == PointTotal.Period.MONTH:
        return day.replace(day=1)
    if period == PointTotal.Period.YEAR:
        return day.replace(month=1, day=1)
    if period == PointTotal.Period.ALL:
        return ALL_TIME_START
    raise ValueError(f"unknown period {period!r}")


def period_end(period: str, day: dt.date) -> dt.date:
    """Last day of the period containing `day`."""
    start = period_start(period, day)
    if period == PointTotal.Period.DAY:
        return start
    if period == PointTotal.Period.WEEK:
        return start + dt.timedelta(days=6)
    if period == PointTotal.Period.MONTH:
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return following - dt.timedelta(days=1)
    if period == PointTotal.Period.YEAR:
        return start.replace(month=12, day=31)
    return dt.date.max


# --- awarding --------------------------------------------------------------------------------


def _lock_member(member: User) -> None:
    """Take the row lock that serialises awards to this member (until the transaction ends):
    one SELECT … FOR UPDATE of the all-time total, created on the member's first award."""
    PointTotal.objects.select_for_update().get_or_create(
        member=member, period=PointTotal.Period.ALL, start=ALL_TIME_START
    )


def _rule_days(member: User, rule: PointRule, day: dt.date) -> dict[dt.date, int]:
    """What the rule gave the member on each day of the week containing `day`."""
    week_start = period_start(PointTotal.Period.WEEK, day)
    return dict(
        DailyRulePoints.objects.filter(
            member=member, rule=rule, day__gte=week_start, day__lte=week_start + dt.timedelta(6)
        ).values_list("day", "points")
    )


def room_left(rule: PointRule, day: dt.date, rule_days: dict[dt.date, int]) -> int:
    """How many points the rule may still grant on `day`, given what it gave on each day of
    that week: the daily cap minus the day's points, and the weekly cap minus the week's."""
    room = rule.daily_cap - rule_days.get(day, 0)
    if rule.weekly_cap is not None:
        room = min(room, rule.weekly_cap - sum(rule_days.values()))
    return room


def _add_to_totals(
    member: User, rule: PointRule, day: dt.date, points: int, *, day_row_exists: bool
) -> None:
    """Add `points` to the member's per-rule day row and to each period total containing
    `day`. Runs under the member lock, so read-then-write is safe."""
    if day_row_exists:
        DailyRulePoints.objects.filter(member=member, rule=rule, day=day).update(
            points=F("points") + points
        )
    else:
        DailyRulePoints.objects.create(member=member, rule=rule, day=day, points=points)

    keys = {(period, period_start(period, day)) for period in PointTotal.Period.values}
    lookup = Q()
    for period, start in keys:
        lookup |= Q(period=period, start=start)
    existing = {(t.period, t.start): t for t in PointTotal.objects.filter(lookup, member=member)}
    changed = []
    for key in keys:
        total = existing.get(key)
        if total is not None:
            total.points += points
            changed.append(total)
    if changed:
        PointTotal.objects.bulk_update(changed, ["points"])
    missing = [
        PointTotal(member=member, period=period, start=start, points=points)
        for period, start in keys
        if (period, start) not in existing
    ]
    if missing:
        PointTotal.objects.bulk_create(missing)


def award_points(
    member: User,
    rule: str,
    source: object,
    idempotency_key: str,
    *,
    events: int = 1,
    points: int | None = None,
    at: dt.datetime | None = None,
) -> PointEntry | None:
    """Award the points of rule `rule` (a code such as "lesson_completed") to `member`.

    Writes exactly one ledger entry per `idempotency_key` (built by `point_key`) and never
    more than the rule's daily cap, nor
    its weekly cap when it has one; an award that would pass a cap grants what is left.
    `events` counts several events in one award (e.g. the correct answers of one daily quiz).
    `points` is what one event is worth when the source sets its own value (a course's points
    on completion); the rule still decides whether it pays at all and how much a day allows.
    `source` names what earned the points (the lesson's, quiz's … title; empty when the rule
    says it all, like the daily login); readers see it after the rule's name
    (`PointEntry.source_label`: 「每日答题：党史小测」). Returns the entry, or None when the
    rule is unknown or disabled, the key was used before, or the cap is reached.
    """
    rule_obj = PointRule.objects.filter(code=rule, enabled=True).first()
    if rule_obj is None or events < 1 or member.pk is None or (points is not None and points < 1):
        return None
    day = days.day_of(at)
    with transaction.atomic():
        _lock_member(member)
        if PointEntry.objects.filter(idempotency_key=idempotency_key).exists():
            return None
        rule_days = _rule_days(member, rule_obj, day)
        worth = rule_obj.points if points is None else points
        granted = min(worth * events, room_left(rule_obj, day, rule_days))
        if granted <= 0:
            return None
        try:
            with transaction.atomic():
                entry = PointEntry.objects.create(
                    member=member,
                    rule=rule_obj,
                    points=granted,
                    day=day,
                    source=str(source)[:200],
                    idempotency_key=idempotency_key,
                    created_at=at or timezone.now(),
                )
        except IntegrityError:
            return None  # the key was used for another member
        _add_to_totals(member, rule_obj, day, granted, day_row_exists=day in rule_days)
    return entry


def correct_points(entry: PointEntry, points: int, *, note: str, by: User | None) -> PointEntry:
    """Correct a ledger entry with a new one of `points` (negative to take points back).

    The ledger is never edited: the correction is its own entry, counted on the original
    entry's day so that that day's, week's … totals come out right. The correction can take
    back at most what the entry and its earlier corrections still hold.
    """
    if points == 0:
        raise ValueError("a correction of 0 points changes nothing")
    with transaction.atomic():
        _lock_member(entry.member)
        held = PointEntry.objects.filter(Q(pk=entry.pk) | Q(corrects=entry)).aggregate(
            total=Sum("points")
        )["total"]
        if held + points < 0:
            raise ValueError("a correction cannot take back more than the entry gave")
        count = entry.corrections.count()
        correction = PointEntry.objects.create(
            member=entry.member,
            rule=entry.rule,
            points=points,
            day=entry.day,
            source=entry.source,
            idempotency_key=f"correction:{entry.pk}:{count + 1}",
            corrects=entry,
            note=note[:200],
            created_by=by,
        )
        day_row_exists = DailyRulePoints.objects.filter(
            member=entry.member, rule=entry.rule, day=entry.day
        ).exists()
        _add_to_totals(entry.member, entry.rule, entry.day, points, day_row_exists=day_row_exists)
    return correction


# --- reading ---------------------------------------------------------------------------------


def total_points(member: User) -> int:
    """All the points a member ever earned (corrections included)."""
    return (
        PointTotal.objects.filter(member=member, period=PointTotal.Period.ALL, start=ALL_TIME_START)
        .values_list("points", flat=True)
        .first()
        or 0
    )


def todays_progress(member: User, day: dt.date | None = None) -> list[dict]:
    """Each enabled rule with what the member earned from it today and its daily cap
    (e.g. 每日答题 3/5), in the rules' order."""
    day = day or days.today()
    earned = dict(
        DailyRulePoints.objects.filter(member=member, day=day).values_list("rule_id", "points")
    )
    return [
        {
            "rule": rule.code,
            "name": rule.name,
            "description": rule.description,
            "points": earned.get(rule.pk, 0),
            "daily_cap": rule.daily_cap,
        }
        for rule in PointRule.objects.filter(enabled=True)
    ]


def period_points(member: User, periods: Iterable[str], day: dt.date | None = None) -> dict:
    """The member's points in each of the given periods containing `day` (default today)."""
    day = day or days.today()
    lookup = Q()
    for period in periods:
        lookup |= Q(period=period, start=period_start(period, day))
    found = dict(PointTotal.objects.filter(lookup, member=member).values_list("period", "points"))
    return {period: found.get(period, 0) for period in periods}
