"""Small helpers shared by tests."""

import io
import time
from collections.abc import Callable
from typing import TypeVar

from openpyxl import Workbook
from wagtail.models import Locale, Page, Site

from lms.core.models import HomePage

T = TypeVar("T")


def ensure_site() -> HomePage:
    """The Wagtail root, a HomePage and the default Site.

    Migrations create them, but tests on a transactional database (browser tests, tests with
    a worker process) truncate every table between tests, so those tests rebuild them here.
    """
    existing = HomePage.objects.first()
    if existing is not None and Site.objects.filter(root_page=existing).exists():
        return existing
    locale = Locale.objects.first() or Locale.objects.create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)
    home = root.add_child(instance=HomePage(title="首页", slug="home", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "党建慕课"},
    )
    return home


def xlsx_bytes(rows: list[list]) -> io.BytesIO:
    """An in-memory .xlsx whose first sheet holds `rows` (the first row is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def wait_until(
    condition: Callable[[], T], *, timeout: float = 60, interval: float = 0.2, message: str = ""
) -> T:
    """Poll `condition` until it returns something true and return that (work a worker
    process or a browser does meanwhile); fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(message or f"still not done after {timeout:g} s")
        time.sleep(interval)
