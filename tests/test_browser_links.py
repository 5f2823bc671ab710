"""Links that reproduce the view, in a real Chromium, in both editions: a preset's values reach the link, the
visitor's own points travel in it and come back (the target menu and the narration say so), a target with
too many points for a link says so; the static Latent walk offers a digit only for conditional models."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from gandemo.core.presets import PRESETS
from gandemo.core.targets import MAX_LINK_POINTS, YOUR_POINTS, read_link_points

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COLLAPSE = "Mode collapse: the plain GAN on the ring"


@pytest.fixture(scope="module")
def checkpoints(shown_checkpoints):
    return shown_checkpoints


@pytest.fixture(params=["app", "static"])
def edition(request):
    """(name, the Playground's address) of each edition."""
    if request.param == "app":
        return "app", request.getfixturevalue("app_url") + "?tab=playground"
    return "static", request.getfixturevalue("site_url") + "?tab=playground"


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == []
    page.close()


def open_playground(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => document.getElementById('playground')?.dataset.frames")


def linked(page) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(page.url).query).items()}


def target_shown(page, edition: str) -> str:
    if edition == "static":
        return page.locator("#playground-target-input").input_value()
    return page.get_by_label("target", exact=True).first.input_value()


def click_points(page, spots: list[tuple[float, float]]) -> None:
    """Click the plot at these fractions of its width and height."""
    box = page.locator("#playground-plot").bounding_box()
    for fx, fy in spots:
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def test_the_static_preset_writes_its_values_into_the_link(page, site_url):  # noqa: F811
    open_playground(page, site_url + "?tab=playground")
    page.select_option("#playground-preset-input", COLLAPSE)
    page.wait_for_function("() => new URLSearchParams(location.search).get('objective') === 'gan'")
    want = PRESETS[COLLAPSE]["settings"]
    shown = linked(page)
    assert shown["objective"] == "gan" and shown["preset"] == COLLAPSE
    assert float(shown["critic"]) == want["critic"] and float(shown["gp"]) == want["gp"]
    assert page.locator("#view-link").input_value() == page.url


def test_own_points_travel_in_the_link_and_come_back(page, edition):
    name, url = edition
    open_playground(page, url)
    click_points(page, [(0.25, 0.25), (0.75, 0.3), (0.5, 0.8)])
    page.wait_for_function("() => document.getElementById('playground').dataset.points === '3'")
    page.wait_for_function("() => (new URLSearchParams(location.search).get('points') || '').split('_').length === 6")
    page.wait_for_function(
        "(own) => new URLSearchParams(location.search).get('target') === own", arg=YOUR_POINTS, timeout=10_000
    )
    points = read_link_points(linked(page)["points"])
    assert len(points) == 3 and points[0][0] < 0 < points[0][1] and points[1][0] > 0  # upper left, upper right
    assert target_shown(page, name) == YOUR_POINTS

    open_playground(page, page.url)  # the link, opened again
    page.wait_for_function("() => document.getElementById('playground').dataset.points === '3'")
    assert target_shown(page, name) == YOUR_POINTS
    stats = "() => /modes captured \\d+\\/3/.test(document.getElementById('playground-stats').textContent)"
    page.wait_for_function(stats)
    page.wait_for_function("() => /of 3 modes/.test(document.getElementById('narration').textContent)")
    assert "of 8 modes" not in page.locator("#narration").inner_text()

    # another target from the menu drops the points, from the view and from the link
    if name == "static":
        page.select_option("#playground-target-input", "two moons")
    else:
        page.get_by_label("target", exact=True).first.click()
        page.get_by_role("option", name=re.compile(r"^(✓\s*)?two moons$")).click()
    page.wait_for_function("() => document.getElementById('playground').dataset.points === '0'")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('points')")
    assert linked(page)["target"] == "two moons"


def test_a_target_too_big_for_a_link_says_so(page, edition, tmp_path):
    _, url = edition
    open_playground(page, url)
    csv = tmp_path / "many.csv"
    count = MAX_LINK_POINTS + 50
    csv.write_text("x,y\n" + "".join(f"{(i % 50) / 25 - 1:.3f},{(i // 50) / 5 - 0.5:.3f}\n" for i in range(count)))
    page.locator("#points-file").set_input_files(str(csv))
    page.wait_for_function("(n) => document.getElementById('playground').dataset.points === String(n)", arg=count)
    note = page.locator("#points-link-note")
    note.wait_for(state="visible")
    assert f"too many for a link (it holds up to {MAX_LINK_POINTS})" in note.inner_text()
    page.wait_for_function("(own) => new URLSearchParams(location.search).get('target') === own", arg=YOUR_POINTS)
    assert linked(page).get("points") == "too-many"


def test_the_static_walk_offers_a_digit_only_for_conditional_models(page, site_url, checkpoints):  # noqa: F811
    page.goto(site_url + "?tab=walk&model=dcgan")
    page.wait_for_function("() => document.documentElement.dataset.ready")
    assert not page.locator("#walk-digit").is_visible()
    page.select_option("#walk-model-input", "cgan")
    page.locator("#walk-digit").wait_for(state="visible")
    page.select_option("#walk-model-input", "gan")
    page.locator("#walk-digit").wait_for(state="hidden")


@pytest.mark.parametrize("tab, view", [("toy", "toy-plot"), ("walk", "strip")])
def test_on_a_phone_the_2d_plot_and_the_walk_fill_the_width(browser, app_url, tab, view):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{app_url}?tab={tab}")
        page.wait_for_function("(id) => Number(document.getElementById(id)?.dataset.drawn || 0) > 0", arg=view)
        shown = page.evaluate(
            "(id) => [...document.querySelectorAll(`#${id} .gd-picture`)].filter((p) => !p.hidden)"
            ".map((p) => p.getBoundingClientRect()).map((r) => [r.left, r.right])",
            view,
        )
        assert len(shown) == 1  # (the browser's picture; the server's first paint is hidden)
        left, right = shown[0]
        assert left >= 0 and right <= 390 and right - left >= 370
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    finally:
        page.close()
