"""A members import of N accounts (default 5 000), each given its own initial password, under
the production password hashers (the test settings' MD5 would hide the cost).

Prints the import's wall time and, for scale, what hashing each account's password with the
default hasher (PBKDF2, a million rounds) would have cost: one hash measured, times N.

    .venv/bin/python bench/accounts/import_members.py [N]      # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pm_bench .venv/bin/python \
        bench/accounts/import_members.py
"""

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-import")

HEADER = ["username", "real_name", "category", "organization_code"]


def main() -> None:
    from django.conf import global_settings, settings
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from lms.accounts import importing
    from lms.accounts.models import User
    from tests.utils import xlsx_bytes

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    _committee, _generals, branches = harness.build_tree(2, 2)
    admin = User.objects.create_superuser("bench-admin", "admin@example.com", "x")
    rows = [HEADER] + [[f"imp{i}", f"成员{i}", "full", branches[i % 4].code] for i in range(size)]
    data = xlsx_bytes(rows).getvalue()
    production = [*global_settings.PASSWORD_HASHERS[:1], *settings.PASSWORD_HASHERS[1:]]

    with override_settings(PASSWORD_HASHERS=production):
        started = time.perf_counter()
        report = importing.import_members(io.BytesIO(data), "bench.xlsx", by=admin)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        make_password("one member's password")
        one_hash = time.perf_counter() - started

    assert report.applied and report.created == size, report.errors[:3]
    print(f"database: {harness.database_name()}; hashers: {production}")
    print(f"import of {size} members, each with its own initial password: {elapsed:.2f} s")
    print(
        f"one default hash: {one_hash * 1000:.0f} ms -> {size} of them would add "
        f"{size * one_hash / 60:.0f} min ({size * one_hash / elapsed:.0f}x this import)"
    )


if __name__ == "__main__":
    main()
