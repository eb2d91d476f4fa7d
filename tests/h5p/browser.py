"""Helpers of the H5P browser tests."""

from collections.abc import Callable

from playwright.sync_api import Error, Page, Response, expect

FRAME = "iframe.h5p-player__frame"


def answer(page: Page, click: Callable[[], None]) -> Response:
    """Answer in the activity once it shows as ready (as a member would: the player marks
    itself ready when the activity inside has started and can report), and wait until the
    server has answered its xAPI statement, so a test fails by saying whether the activity
    never started, the answer never reached the activity, the statement never left the page,
    or it was refused."""
    expect(page.locator("[data-h5p-player].is-ready").first).to_be_attached(timeout=30_000)
    # Bring the activity into view and let it settle first. The activity runs in its own
    # (out-of-process) frame; when a click has to scroll the page to reach a button inside it,
    # Playwright can aim at where the frame was before the scroll, and the click is lost.
    frame = page.locator(FRAME).first
    frame.evaluate("element => element.scrollIntoView({block: 'center'})")
    frame.hover(trial=True)  # waits until the frame stands still where it is shown
    try:
        with page.expect_response(
            lambda r: "/xapi/" in r.url and r.request.method == "POST", timeout=60_000
        ) as response:
            click()
        return response.value
    except Error as error:
        chosen = page.frame_locator(FRAME).locator(".is-correct, .is-wrong").count()
        raise AssertionError(
            "No answer to the xAPI statement within 60 s; the activity "
            + ("did mark the chosen answer" if chosen else "never saw the click")
            + f" ({error.message.splitlines()[0]})"
        ) from None
