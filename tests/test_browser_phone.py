"""Both editions on a phone (390 x 844, a high-density screen) and on a desktop (1400 px): the picture and the
control that moves it share the screen, no page is wider than the screen, Save downloads at once and says so
beside the button, the 2-D plots show real and generated points apart, and canvases are drawn for the screen's
pixel density."""

from __future__ import annotations

import pytest

from gandemo.ui.playground import LABELS
from tests.browser_helpers import canvases, drawn, in_page
from tests.conftest import ROOT
from tests.test_static import checkpoints  # noqa: F401 (the static edition's fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = ROOT / "artifacts" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
VIEWS = {"generate": "grid", "compare": "compare", "walk": "strip", "directions": "steer", "toy": "toy-plot"}
LAST_DIRECTION = {"app": "#direction-5 input[type=range]", "static": "#directions-d5 input[type=range]"}


@pytest.fixture(params=["app", "static"])
def edition(request) -> tuple[str, str]:
    """(name, address) of each edition: the Gradio app and the static folder."""
    return request.param, request.getfixturevalue("app_url" if request.param == "app" else "site_url")


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, accept_downloads=True)
    yield context
    context.close()


def opened(context, url: str, tab: str):
    """A page on ``tab``, with its picture drawn (or the Playground's first frame)."""
    page = context.new_page()
    page.goto(f"{url.rstrip('/')}/?tab={tab}")
    if tab in VIEWS:
        drawn(page, VIEWS[tab])
    elif tab == "playground":
        page.wait_for_function("() => document.getElementById('playground')?.dataset.frames", timeout=60_000)
    else:
        page.wait_for_selector("#losses img, img#losses", state="visible", timeout=30_000)
    return page


def on_screen(page, locator) -> bool:
    """Whether the element lies wholly within the viewport as the page is scrolled now."""
    box, view = locator.bounding_box(), page.viewport_size
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= view["height"] + 1


def visible(page, selector: str):
    return page.locator(selector).filter(visible=True).first


def tap(page, locator) -> None:
    """Press what is on screen where it is, as a finger does (Playwright's click scrolls a button that sticks to
    the top of the screen back to where it sits in the page first)."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_on_a_phone_random_shows_new_digits_beside_the_button(edition, phone):
    name, url = edition
    page = opened(phone, url, "generate")
    count = drawn(page, "grid")
    dice = page.get_by_role("button", name="Random", exact=True).filter(visible=True).first
    dice.scroll_into_view_if_needed()
    dice.click()
    drawn(page, "grid", after=count)
    assert on_screen(page, dice) and on_screen(page, page.locator("#grid canvas.gd-picture"))
    page.screenshot(path=str(SHOTS / f"phone-{name}-random.png"))


def test_on_a_phone_the_steered_sample_stays_above_its_last_slider(edition, phone):
    name, url = edition
    page = opened(phone, url, "directions")
    slider = visible(page, LAST_DIRECTION[name])
    slider.scroll_into_view_if_needed()
    count = drawn(page, "steer")
    box = slider.bounding_box()
    page.mouse.click(box["x"] + 0.9 * box["width"], box["y"] + box["height"] / 2)  # toward +3
    drawn(page, "steer", after=count)
    assert on_screen(page, slider) and on_screen(page, page.locator("#steer canvas.gd-picture").first)


def test_on_a_phone_the_playground_plays_in_view_of_its_buttons_and_settings(edition, phone):
    name, url = edition
    page = opened(phone, url, "playground")
    setting = page.get_by_text(LABELS["arrows"]).filter(visible=True).first
    setting.scroll_into_view_if_needed()  # the last setting: the plot and the buttons are still on screen
    tap(page, visible(page, "#play"))
    page.wait_for_function("() => Number(document.getElementById('playground').dataset.step) >= 20", timeout=60_000)
    for shown in (setting, page.locator("#playground-plot"), visible(page, "#pause"), visible(page, "#save")):
        assert on_screen(page, shown)
    tap(page, visible(page, "#pause"))
    page.screenshot(path=str(SHOTS / f"phone-{name}-playground-scrolled.png"))


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1400"])
def test_save_downloads_at_once_and_says_so_beside_the_button(edition, browser, size):
    name, url = edition
    context = browser.new_context(**size, accept_downloads=True)
    page = opened(context, url, "playground")
    save = visible(page, "#save")
    visible(page, "#step").click()
    page.wait_for_function("() => Number(document.getElementById('playground').dataset.step) >= 10", timeout=60_000)
    with page.expect_download() as download:
        save.click()
    assert download.value.suggested_filename.endswith("-step10.zip")
    said = page.locator("#playground-saved")
    said.wait_for(state="visible")
    assert "Downloading playground-" in said.inner_text()
    assert on_screen(page, said) and on_screen(page, save)
    gap = said.bounding_box()["y"] - (save.bounding_box()["y"] + save.bounding_box()["height"])
    assert -1 <= gap <= page.viewport_size["height"] / 2, gap  # under the button, not below the fold
    page.screenshot(path=str(SHOTS / f"saved-{name}-{page.viewport_size['width']}.png"))
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1400"])
def test_no_tab_is_wider_than_the_screen_and_a_wide_table_scrolls_in_its_box(edition, browser, size):
    name, url = edition
    context = browser.new_context(**size)
    width = size["viewport"]["width"]
    for tab in ("generate", "compare", "walk", "directions", "toy", "training", "playground"):
        page = opened(context, url, tab)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, (tab, width)
        if tab == "generate":  # the per-digit table: all its columns, scrolled within its own box on a phone
            table = page.locator("#model-info table, .gd-about table").filter(visible=True).first
            table.wait_for()
            cells = page.evaluate(
                "(t) => [t.rows[0].cells.length, t.getBoundingClientRect().right, t.scrollWidth, t.clientWidth]",
                table.element_handle(),
            )
            assert cells[0] == 11 and cells[1] <= width, cells  # the digit column and the ten digits
            if width == 390:
                assert cells[2] > cells[3], cells
        page.close()
    context.close()


def test_on_a_phone_the_header_leaves_the_screen_to_the_picture(edition, phone):
    _, url = edition
    page = opened(phone, url, "generate")
    grid = page.locator("#grid canvas.gd-picture").bounding_box()
    assert grid["y"] < 280, grid  # (the header took about 300 of 844 px)
    assert grid["y"] + grid["height"] <= 844 * 0.75, grid


def test_canvases_are_drawn_for_a_high_density_screen(edition, phone):
    _, url = edition
    page = opened(phone, url, "toy")
    sizes = {"toy": page.evaluate(BACKING, "#toy-plot canvas.gd-picture")}
    page = opened(phone, url, "playground")
    for selector in ("#playground-plot", "#playground-losses"):
        sizes[selector] = page.evaluate(BACKING, selector)
    page = opened(phone, url, "generate")
    page.wait_for_selector("#per-digit", state="visible", timeout=60_000)
    sizes["per-digit"] = page.evaluate(BACKING, "#per-digit")
    for what, (backing, css) in sizes.items():
        assert 100 < css <= 390 and abs(backing - 2 * css) <= 1, (what, backing, css)


BACKING = "(s) => { const c = document.querySelector(s); return [c.width, c.getBoundingClientRect().width]; }"


def test_the_2d_plot_shows_real_points_apart_from_generated_ones_and_scales_its_map(edition, browser):
    _, url = edition
    context = browser.new_context(**DESKTOP)
    page = opened(context, url, "playground")
    page.locator("#playground-legend").filter(visible=True).wait_for()
    assert "judged real" in page.locator("#playground-legend").inner_text()
    page.wait_for_function("() => /\\d/.test(document.querySelector('#playground-legend .gd-scale-end').textContent)")
    page = opened(context, url, "toy")
    # the 8 real modes of a trained model: orange (real) shows around blue (generated) at each mode centre
    shares = mode_colours(page)
    assert len(shares) == 8 and all(orange > 0.1 and blue > 0.02 for orange, blue in shares), shares
    context.close()


def mode_colours(page) -> list[tuple[float, float]]:
    """The share of orange-ish (real) and blue-ish (generated) pixels within 6 CSS px of each mode centre."""
    (pixels,) = canvases(page, "toy-plot")
    draw = in_page(page, "(t) => { const d = t.inspect('toy-plot'); return { plot: d.plot, coverage: d.coverage }; }")
    plot, ratio = draw["plot"], pixels.shape[1] / page.locator("#toy-plot canvas.gd-picture").bounding_box()["width"]
    shares = []
    for x, y in draw["coverage"]["centers"]:
        column = round((plot["left"] + (plot["limit"] + x) / (2 * plot["limit"]) * plot["size"]) * ratio)
        row = round((plot["top"] + (plot["limit"] - y) / (2 * plot["limit"]) * plot["size"]) * ratio)
        r = round(6 * ratio)
        near = pixels[row - r : row + r, column - r : column + r].astype(int)
        red, green, blue = near[..., 0], near[..., 1], near[..., 2]
        orange = ((red > green + 20) & (green > blue + 20)).mean()
        shares.append((float(orange), float((blue > red + 40).mean())))
    return shares
