"""The player in real chromium: a member plays an activity inside a site page, the statement
reaches the server, completion turns true — and the activity cannot touch the session."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from courses.h5p import services
from courses.h5p.models import H5PCompletion, H5PPlay, H5PStatement

from .browser import answer
from .packages import quick_check, real_package

pytestmark = pytest.mark.urls("tests.h5p.urls")

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
# Generous waits: uploads, unpacking and H5P start-up share the machine with other tests.
SLOW = 30_000
RIGHT_ANSWER = "党的全国代表大会和它所产生的中央委员会"
WRONG_ANSWER = "党的地方各级代表大会"


@pytest.fixture(autouse=True)
def count_at_once(settings):
    """These tests answer as soon as the activity shows; the minimum time a completion waits
    for has a test of its own below."""
    settings.H5P_MIN_PLAY_SECONDS = 0


def make_package(data: bytes, **kwargs):
    return services.create_package(ContentFile(data, name="activity.h5p"), **kwargs)


def open_player(login, live_server, package, username="member_a1"):
    page = login(username)
    page.goto(f"{live_server.url}/h5p-test/{package.pk}/")
    return page, page.frame_locator("iframe.h5p-player__frame")


def test_member_answers_our_own_content_type_and_completes(login, people, live_server):
    package = make_package(quick_check())
    member = people["member_a1"]
    page, frame = open_player(login, live_server, package)
    expect(page.locator("[data-h5p-done]")).to_be_hidden()

    assert answer(page, frame.get_by_role("button", name=RIGHT_ANSWER).click).status == 201

    expect(frame.get_by_text("回答正确！")).to_be_visible(timeout=SLOW)
    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)
    expect(page.locator("[data-h5p-message]")).to_have_text("已完成，做得好！", timeout=SLOW)
    assert services.has_completed(member, package)
    stored = H5PStatement.objects.get(user=member, package=package)
    assert stored.verb == ANSWERED
    assert stored.statement["actor"]["account"]["name"] == str(member.pk)
    assert stored.statement["result"]["completion"] is True
    assert stored.statement["result"]["success"] is True

    page.reload()  # the page remembers: the badge is shown from the server's record
    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)


def test_a_wrong_answer_is_recorded_but_does_not_pass_a_minimum_score(login, people, live_server):
    package = make_package(quick_check(), pass_score_percent=100)
    member = people["member_a1"]
    page, frame = open_player(login, live_server, package)

    assert answer(page, frame.get_by_role("button", name=WRONG_ANSWER).click).status == 201

    expect(page.locator("[data-h5p-message]")).to_have_text("已记录您的作答。", timeout=SLOW)
    expect(page.locator("[data-h5p-done]")).to_be_hidden()
    stored = H5PStatement.objects.get(user=member, package=package)
    assert stored.success is False and stored.completion is True
    assert not services.has_completed(member, package)


def _answer_truefalse(frame):
    frame.get_by_role("radio", name="False").click()
    frame.get_by_role("button", name="Check").click()


def _answer_multichoice(frame):
    frame.get_by_text("Raspberries").click()
    frame.get_by_role("button", name="Check").click()


def _answer_blanks(frame):
    for index, word in enumerate(["diabetes", "sugar", "heart", "cancer"], start=1):
        frame.get_by_label(f"Blank input {index} of 4").fill(word)
    frame.get_by_role("button", name="Check").click()


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("truefalse", _answer_truefalse),
        ("multichoice", _answer_multichoice),
        ("blanks", _answer_blanks),
    ],
)
def test_real_h5p_packages_play_and_complete(login, people, live_server, name, answer):
    package = make_package(real_package(name))
    member = people["member_a1"]
    page, frame = open_player(login, live_server, package)

    answer(frame)

    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)
    assert services.has_completed(member, package)
    completing = H5PStatement.objects.get(user=member, package=package, verb=ANSWERED)
    assert completing.completion is True and completing.score_scaled is not None


def test_the_activity_cannot_touch_the_members_session(login, people, live_server):
    package = make_package(quick_check())
    page, frame_locator = open_player(login, live_server, package)
    frame_requests = []
    page.on(
        "request",
        lambda request: (
            frame_requests.append(request)
            if "/h5p/p/" in request.url and "/files/" in request.url
            else None
        ),
    )
    page.reload()
    expect(frame_locator.get_by_role("button", name=RIGHT_ANSWER)).to_be_visible(timeout=SLOW)
    frame_path = page.locator("iframe.h5p-player__frame").get_attribute("src")
    frame = next(f for f in page.frames if f.url.endswith(frame_path))

    assert page.locator("iframe.h5p-player__frame").get_attribute("sandbox") == "allow-scripts"
    assert frame.evaluate("self.origin") == "null"
    cookie_error = frame.evaluate(
        "() => { try { return 'read: ' + document.cookie; } catch (e) { return e.name; } }"
    )
    assert cookie_error == "SecurityError"
    parent_error = frame.evaluate(
        "() => { try { return parent.document.cookie; } catch (e) { return e.name; } }"
    )
    assert parent_error == "SecurityError"
    api_answer = frame.evaluate(
        """() => fetch('/api/v1/me/', {credentials: 'include'})
              .then(r => r.text(), e => 'blocked: ' + e.name)"""
    )
    assert api_answer.startswith("blocked"), api_answer
    posted = frame.evaluate(
        """url => fetch(url, {method: 'POST', credentials: 'include',
              headers: {'Content-Type': 'application/json'}, body: '{}'})
              .then(r => 'answered ' + r.status, e => 'blocked: ' + e.name)""",
        f"/api/v1/h5p/packages/{package.pk}/xapi/",
    )
    assert posted.startswith("blocked"), posted
    assert not H5PStatement.objects.exists()
    assert page.context.cookies(), "the member is logged in"
    # What the activity loads is fetched without the member's cookies.
    assert frame_requests
    for request in frame_requests:
        assert "sessionid" not in request.all_headers().get("cookie", ""), request.url


def test_the_player_fits_a_360_pixel_phone(login, people, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    package = make_package(quick_check())
    page, frame = open_player(login, live_server, package)
    expect(frame.get_by_role("button", name=RIGHT_ANSWER)).to_be_visible(timeout=SLOW)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the lesson page scrolls sideways by {overflow}px"
    box = page.locator("iframe.h5p-player__frame").bounding_box()
    assert box["width"] <= 360
    assert answer(page, frame.get_by_role("button", name=RIGHT_ANSWER).click).status == 201
    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)


def test_a_page_left_open_too_long_asks_the_member_to_reload(login, people, live_server, settings):
    package = make_package(quick_check())
    page, frame = open_player(login, live_server, package)
    expect(frame.get_by_role("button", name=RIGHT_ANSWER)).to_be_visible(timeout=SLOW)
    settings.H5P_PLAY_GRANT_MAX_AGE = timedelta(seconds=-1)  # the grant on the page is stale

    assert answer(page, frame.get_by_role("button", name=RIGHT_ANSWER).click).status == 403

    expect(page.locator("[data-h5p-message]")).to_have_text(
        "页面打开时间过长，请刷新页面后继续作答，以便记录您的答题情况。", timeout=SLOW
    )
    expect(page.locator("[data-h5p-done]")).to_be_hidden()
    assert not services.has_completed(people["member_a1"], package)


def test_an_answer_given_at_once_counts_when_the_activity_has_been_open_long_enough(
    login, people, live_server, settings
):
    settings.H5P_MIN_PLAY_SECONDS = 6
    package = make_package(quick_check())
    member = people["member_a1"]
    page, frame = open_player(login, live_server, package)

    answer(page, frame.get_by_role("button", name=RIGHT_ANSWER).click)

    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)
    expect(page.locator("[data-h5p-message]")).to_have_text("已完成，做得好！", timeout=SLOW)
    completion = H5PCompletion.objects.get(user=member, package=package)
    opened = H5PPlay.objects.get(user=member, package=package).opened_at
    assert completion.completed_at - opened >= timedelta(seconds=6)
    assert H5PStatement.objects.filter(user=member, package=package, verb=ANSWERED).count() == 1


def test_scripts_of_uploaded_libraries_do_not_run_on_the_sites_pages(login, people, live_server):
    """The library files load and run inside the sandboxed player; the same file, put into a
    page of the site itself, is refused by the site's script policy."""
    package = make_package(quick_check())
    page, frame = open_player(login, live_server, package)
    expect(frame.get_by_role("button", name=RIGHT_ANSWER)).to_be_visible(timeout=SLOW)
    frame_path = page.locator("iframe.h5p-player__frame").get_attribute("src")
    library = f"{live_server.url}{frame_path}files/PartyMooc.QuickCheck-1.0/quick-check.js"

    outcome = page.evaluate(
        """url => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation',
                e => resolve('refused: ' + e.effectiveDirective), {once: true});
            const script = document.createElement('script');
            script.src = url;
            script.onload = () => resolve(window.PartyMooc ? 'ran' : 'loaded');
            document.head.appendChild(script);
        })""",
        library,
    )

    assert outcome.startswith("refused: script-src"), outcome
    assert page.evaluate("typeof window.PartyMooc") == "undefined"
