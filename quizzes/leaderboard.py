"""Leaderboards: members of an organisation subtree ranked by their points in a period.

Reads the per-period totals `award_points` keeps (one row per member and period), so a board
costs the same three queries whether the organisation has a hundred members or a hundred
thousand: the top rows, the viewer's points, and how many members are above the viewer.
"""

import datetime as dt
from dataclasses import dataclass

from lms.accounts.models import MemberProfile, User
from lms.core import days
from lms.orgs.models import PartyOrganization

from .models import PointTotal
from .points import period_end, period_start

BOARD_PERIODS = (
    PointTotal.Period.DAY,
    PointTotal.Period.WEEK,
    PointTotal.Period.MONTH,
    PointTotal.Period.YEAR,
)


@dataclass
class BoardEntry:
    rank: int
    member_id: int
    name: str
    organization: str
    points: int


@dataclass
class Board:
    organization: PartyOrganization
    period: str
    start: dt.date
    end: dt.date
    entries: list[BoardEntry]
    my_rank: int | None
    my_points: int


def _totals(organization: PartyOrganization, period: str, start: dt.date):
    # Members of the subtree as a subquery rather than a join through users and profiles:
    # counting the members above the viewer then reads the board index once (3–9× faster on
    # SQLite at 100k members).
    members = MemberProfile.objects.filter(organization.in_subtree()).values("user_id")
    return PointTotal.objects.filter(
        period=period, start=start, points__gt=0, member_id__in=members
    )


def leaderboard(
    organization: PartyOrganization,
    period: str,
    *,
    viewer: User | None = None,
    day: dt.date | None = None,
    limit: int = 50,
) -> Board:
    """The top `limit` members of the organisation's subtree for the day / week / month /
    year containing `day` (default today in Shanghai), with the viewer's own rank.

    Equal points share a rank (1, 2, 2, 4). Members without points in the period are not
    ranked.
    """
    if period not in BOARD_PERIODS:
        raise ValueError(f"unknown period {period!r}")
    day = day or days.today()
    start = period_start(period, day)
    rows = (
        _totals(organization, period, start)
        .order_by("-points", "member_id")
        .values(
            "member_id",
            "points",
            "member__username",
            "member__profile__real_name",
            "member__profile__organization__name",
        )[:limit]
    )
    entries: list[BoardEntry] = []
    for position, row in enumerate(rows, start=1):
        rank = position
        if entries and entries[-1].points == row["points"]:
            rank = entries[-1].rank
        entries.append(
            BoardEntry(
                rank=rank,
                member_id=row["member_id"],
                name=row["member__profile__real_name"] or row["member__username"],
                organization=row["member__profile__organization__name"],
                points=row["points"],
            )
        )

    my_rank, my_points = None, 0
    own = viewer.organization if viewer is not None else None
    if own is not None and organization.covers(own):
        listed = next((e for e in entries if e.member_id == viewer.pk), None)
        if listed is not None:
            my_rank, my_points = listed.rank, listed.points
        else:
            my_points = (
                PointTotal.objects.filter(member=viewer, period=period, start=start)
                .values_list("points", flat=True)
                .first()
                or 0
            )
            if my_points > 0:
                above = _totals(organization, period, start).filter(points__gt=my_points).count()
                my_rank = above + 1
    return Board(
        organization=organization,
        period=period,
        start=start,
        end=period_end(period, day),
        entries=entries,
        my_rank=my_rank,
        my_points=my_points,
    )
