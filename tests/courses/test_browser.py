"""Course pages in a real browser: usable on a 360-px phone, enrolment, lesson navigation."""

from playwright.sync_api import expect

from courses.models import Enrollment

PHONE = {"width": 360, "height": 740}


def fits(page) -> int:
    """How far the page scrolls sideways (0 when it fits the screen)."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_member_finds_enrols_and_moves_through_lessons_on_a_phone(
    login, people, live_server, page, course, lessons
):
    page.set_viewport_size(PHONE)
    login("member_a1")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="课程").click()
    expect(page.get_by_role("heading", name="课程中心")).to_be_visible()
    assert fits(page) <= 0
    page.get_by_placeholder("搜索课程和课").fill("开天辟地")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=course.title).click()
    expect(page.get_by_role("button", name="报名学习")).to_be_visible()
    assert fits(page) <= 0

    page.get_by_role("button", name="报名学习").click()
    expect(page.get_by_role("heading", name=lessons[0].title)).to_be_visible()
    assert Enrollment.objects.filter(user=people["member_a1"], course=course).exists()
    expect(page.get_by_text("学习本页至少 0:30")).to_be_visible()
    assert fits(page) <= 0

    page.get_by_role("link", name="下一课").click()
    expect(page.get_by_role("heading", name=lessons[1].title)).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的学习").click()
    expect(page.get_by_role("link", name=course.title)).to_be_visible()
    assert fits(page) <= 0

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页").click()
    expect(page.get_by_role("heading", name="继续学习")).to_be_visible()
    expect(page.get_by_text(lessons[1].title)).to_be_visible()
    assert fits(page) <= 0


def test_the_reading_condition_counts_down_and_ticks_when_met(
    login, people, live_server, page, course
):
    from courses.enrolment import enroll

    from .pages import add_lesson, text

    lesson = add_lesson(course, "短读一课", [text("<p>短文。</p>")], complete_read_seconds=4)
    enroll(people["member_a1"], course)
    login("member_a1")
    page.goto(f"{live_server.url}{lesson.url}")
    condition = page.locator("[data-condition=read]")

    expect(condition).to_contain_text("学习本页至少 0:04")
    expect(condition).to_contain_text("还需 0:0")
    expect(condition).to_have_class("is-met", timeout=15_000)
    expect(condition).to_contain_text("✔")
    expect(condition).not_to_contain_text("还需")


def test_several_courses_show_on_one_phone_screen(login, people, live_server, page, catalog, topic):
    from .pages import add_course

    for n in range(4):
        add_course(catalog, f"第{n + 1}门课", topic=topic)
    page.set_viewport_size({"width": 390, "height": 844})
    login("member_a1")
    page.goto(f"{live_server.url}{catalog.url}")

    covers = page.locator(".course-card__cover")
    expect(covers).to_have_count(4)
    heights = [covers.nth(n).bounding_box()["height"] for n in range(4)]
    assert max(heights) <= 844 / 3
    titles = page.locator(".course-card__title")
    on_screen = [n for n in range(4) if titles.nth(n).bounding_box()["y"] < 844]
    assert len(on_screen) >= 3, "at least three courses on the first screen"
    assert fits(page) <= 0
