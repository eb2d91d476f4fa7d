"""Organisation subtree queries at 1k, 10k and 100k members (materialised path).

Builds, in a scratch SQLite database (or the PostgreSQL one in DATABASE_URL), a committee with
10 general branches × 10 branches, fills it with N members, and measures for each N:
counting a general branch's members, an organiser's first page of members, and the coverage
check for one member record. Prints time and query count per operation and size, and the
100k/1k time ratios. The query count must be the same for every size.

    .venv/bin/python bench/org_subtree.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pm_bench .venv/bin/python bench/org_subtree.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

harness.setup("bench-orgs")

SIZES = (1_000, 10_000, 100_000)


def main() -> None:
    from lms.accounts.models import MemberProfile, User
    from lms.orgs import permissions
    from lms.orgs.models import OrgRole

    print(f"database: {harness.database_name()}")
    results = {}
    for size in SIZES:
        _committee, generals, branches = harness.build_tree()
        last_member = harness.bulk_members(size, branches)[-1]
        head = User.objects.create(username="head", password="!")
        OrgRole.objects.create(user=head, organization=generals[0], role="organiser")
        general = generals[0]

        def count_subtree(general=general):
            MemberProfile.objects.filter(organization__path__startswith=general.path).count()

        def first_page(head=head):
            viewer = User.objects.get(pk=head.pk)
            list(
                permissions.covered_member_profiles(viewer)
                .select_related("user", "organization")
                .order_by("organization__path", "real_name")[:50]
            )

        def coverage(head=head, member=last_member):
            viewer = User.objects.get(pk=head.pk)
            member = User.objects.select_related("profile__organization").get(pk=member.pk)
            permissions.can_view_member_record(viewer, member)

        results[size] = {
            "count members of a general branch": harness.best_time(count_subtree),
            "first page of an organiser's members": harness.best_time(first_page),
            "may the organiser see one member": harness.best_time(coverage),
        }
        for name, (seconds, queries) in results[size].items():
            print(f"{size:>7} members | {name:<36} {seconds * 1000:8.2f} ms  {queries} queries")
    print()
    for name in results[SIZES[0]]:
        small, large = results[SIZES[0]][name], results[SIZES[-1]][name]
        same = "same" if small[1] == large[1] else "DIFFERENT"
        print(f"{name:<36} time 100k/1k = {large[0] / small[0]:6.1f}×   query count {same}")


if __name__ == "__main__":
    main()
