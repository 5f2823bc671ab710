"""The app in a real Chromium (Debian's, driven by Playwright): pick models, move the seed, pick a
CGAN digit, draw the 2-D models, open every tab; screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from tests.browser_helpers import canvases, drawn, settled
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    yield page
    page.close()


def image_src(page, element_id: str, old: str | None = None, timeout: float = 30_000) -> str:
    """Wait until the image inside #element_id is shown (and differs from ``old``); return its src."""
    selector = f"#{element_id} img"
    page.wait_for_function(
        "([sel, old]) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0"
        " && i.src !== old; }",
        arg=[selector, old],
        timeout=timeout,
    )
    return page.locator(selector).first.get_attribute("src")


def choose(page, label: str, option: str, within: str = "body"):
    page.locator(within).get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=re.compile(rf"^(✓\s*)?{re.escape(option)}$")).click()


def shot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_generators_tab_reacts_to_every_control(page):
    count = drawn(page, "grid")
    page.get_by_label("model", exact=True).first.click()
    models = [t.replace("✓", "").strip() for t in page.get_by_role("option").all_inner_texts()]
    page.get_by_label("model", exact=True).first.blur()
    page.locator("h1").click()  # close the list
    assert {"gan", "dcgan", "cgan"} <= set(models)
    for model in sorted(models, key=lambda m: m == "dcgan"):  # end on dcgan, the one shown first
        choose(page, "model", model)
        count = drawn(page, "grid", after=count)
        shot(page, f"generate-{model}")
    seed_box = page.get_by_label("seed", exact=True).first
    seed_box.fill("12345")
    seed_box.press("Enter")
    count = drawn(page, "grid", after=count)
    choose(page, "model", "cgan")
    count = drawn(page, "grid", after=count)
    assert page.get_by_label("digit", exact=True).first.is_visible()
    wide = canvases(page, "grid")[0].shape
    choose(page, "digit", "7")
    drawn(page, "grid", after=count)
    assert canvases(page, "grid")[0].shape != wide  # the 8 x 10 sweep became the 8 x 8 grid of sevens
    shot(page, "generate-cgan-digit-7")
    assert "cgan" in page.locator("#model-info").inner_text()


def test_toy_tab_draws_the_plot(page):
    page.get_by_role("tab", name="2-D models").click()
    drawn(page, "toy-plot")
    page.wait_for_function("() => /modes captured/.test(document.querySelector('#coverage')?.innerText ?? '')")
    shot(page, "toy")


def test_other_tabs_render(page):
    page.get_by_role("tab", name="Compare").click()
    drawn(page, "compare")
    assert len(canvases(page, "compare")) >= 3
    shot(page, "compare")
    page.get_by_role("tab", name="Latent walk").click()
    drawn(page, "strip")
    page.get_by_role("button", name="Make the animated GIF").click()
    image_src(page, "gif")
    shot(page, "walk")
    page.get_by_role("tab", name="Training").click()
    choose(page, "model", "gan", within="#training-model")
    image_src(page, "snapshot")
    page.wait_for_selector("#losses img", timeout=30_000)
    shot(page, "training")


def test_every_tab_shows_its_content_when_opened_with_no_other_action(page):
    drawn(page, "grid")
    expected = {
        "Compare": ["#compare canvas"],
        "Latent walk": ["#strip canvas"],
        "2-D models": ["#toy-plot canvas"],
        "Training": ["#losses img", "#snapshot img", "#card h1, #card h2, #card p"],
        "Playground": ["#playground-plot", "#playground-losses"],
    }
    for tab, selectors in expected.items():
        page.get_by_role("tab", name=tab).click()
        for selector in selectors:  # the bound: within 5 s of opening the tab
            page.wait_for_selector(selector, state="visible", timeout=5_000)
        if tab == "Playground":  # its first frame: the untrained networks, drawn in the page
            page.wait_for_function(
                "() => document.querySelector('#playground-stats')?.innerText.includes('press Play to train')",
                timeout=5_000,
            )
        shot(page, f"arrival-{tab.lower().replace(' ', '-')}")


def test_a_copied_link_reopens_the_same_view_in_a_new_page(browser, app_url):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(app_url)
    drawn(page, "grid")
    page.get_by_role("tab", name="2-D models").click()
    count = drawn(page, "toy-plot")
    seed = page.locator("#toy-seed input")
    seed.fill("7")
    seed.press("Enter")
    drawn(page, "toy-plot", after=count)
    (shown,) = canvases(page, "toy-plot")
    page.wait_for_function(
        "() => document.querySelector('#view-link textarea, #view-link input')?.value.includes('seed=7')"
    )
    page.locator("#view-link").get_by_role("button", name=re.compile("copy", re.I)).click()
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert "tab=toy" in link and "seed=7" in link and page.url == link  # the address bar follows too

    fresh = context.new_page()
    fresh.goto(link)
    fresh.wait_for_function("() => document.querySelector('#toy-seed input')?.value === '7'")
    assert fresh.get_by_role("tab", name="2-D models").get_attribute("aria-selected") == "true"
    fresh.wait_for_function(
        "() => document.getElementById('toy-plot')?.dataset.drawn && "
        "document.querySelector('#toy-plot canvas').parentElement.lastDraw?.view.seed === 7"
    )
    (restored,) = canvases(fresh, "toy-plot")
    assert (restored == shown).all()  # the same picture: same model, seed and points
    assert fresh.locator("#toy-plot").is_visible()  # and its tab is the one open
    shot(fresh, "link-restored-toy")

    preset = "Too few critic steps"  # a Playground view travels too, without starting to train
    fresh.goto(f"{app_url}?tab=playground&preset={preset.replace(' ', '+')}&objective=wgan-gp&critic=1&width=oops")
    fresh.wait_for_function("() => document.querySelector('#preset-note')?.innerText.includes('once per generator')")
    fresh.wait_for_function("() => document.getElementById('playground')?.dataset.frames")
    assert "press Play to train" in fresh.locator("#playground-stats").inner_text()
    fresh.get_by_text("this link's width: width must be a whole number").first.wait_for()  # named, and skipped
    context.close()


PHONE_TABS = {  # tab id in a link -> what must be on screen
    "generate": ["#grid canvas", "#model-info .katex"],
    "compare": ["#compare canvas"],
    "walk": ["#strip canvas"],
    "toy": ["#toy-plot canvas", "#coverage li"],
    "training": ["#losses img", "#snapshot img"],
    "playground": ["#playground-plot", "#playground-losses"],
}


PHONE_VIEWS = {"generate": "grid", "compare": "compare", "walk": "strip", "toy": "toy-plot"}  # drawn in the browser


@pytest.mark.parametrize("tab", list(PHONE_TABS))
def test_every_tab_fits_a_phone_390_px_wide(browser, app_url, tab):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{app_url}?tab={tab}")  # the tab strip is an overflow menu this narrow: open the tab by link
    if tab in PHONE_VIEWS:
        drawn(page, PHONE_VIEWS[tab])  # the browser's own picture, after the server's first one
    for selector in PHONE_TABS[tab]:
        page.wait_for_selector(selector, state="attached", timeout=30_000)
        page.locator(selector).first.scroll_into_view_if_needed()  # images below the fold load lazily
        page.wait_for_selector(selector, state="visible", timeout=30_000)
    settled(page)  # the images have arrived and the layout holds still
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widest = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('img, canvas, button, input, textarea'))"
        ".filter(e => e.offsetParent && !e.closest('.visually-hidden'))"  # (Gradio's hidden copy of the tab strip)
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 390, widest  # images and controls fit the width
    shot(page, f"phone-{tab}")
    page.close()
