"""The static edition (``python -m gandemo.static build``): a folder with no Python that a plain static file
server hosts, where every tab draws in a real Chromium, the Playground plays, links restore a view as the
app's do, and no request goes anywhere but that server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import gradio as gr
import numpy as np
import pytest

from gandemo import static
from gandemo.service.showroom import Showroom
from gandemo.ui.context import Context
from gandemo.ui.links import ViewLinks
from gandemo.ui.tabs import MODULES as TABS
from tests.browser_helpers import canvases, drawn

TOLERANCE = 2  # of 255


@pytest.fixture(scope="module")
def checkpoints(shown_checkpoints):
    return shown_checkpoints


def test_the_folder_holds_the_page_its_code_and_weights_but_no_python(site_folder):
    files = {p.relative_to(site_folder).as_posix() for p in site_folder.rglob("*") if p.is_file()}
    assert "index.html" in files and "web/static/page.js" in files and "checkpoints/dcgan/model.safetensors" in files
    assert not [name for name in files if name.endswith((".py", ".pyc"))]
    assert "web/vendor/tfjs-4.22.0/LICENSE" in files and "web/vendor/katex-0.16.22/LICENSE" in files


def test_a_build_replaces_its_own_folder_and_no_other(tmp_path, checkpoints):
    out = static.build(tmp_path / "site", checkpoints)
    (out / "stale.txt").write_text("from an older build")
    static.build(out, checkpoints)
    assert not (out / "stale.txt").exists() and (out / "index.html").is_file()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(static.BuildError, match="not empty"):
        static.build(tmp_path / "mine", checkpoints)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_its_tabs_and_link_keys_are_the_apps(checkpoints):
    """The static page and the Gradio app show the same tabs, in order, and their links carry the same keys."""
    showroom = Showroom(checkpoints, device="cpu")
    ctx = Context(showroom)
    with gr.Blocks():
        share = ViewLinks(gr.Textbox())
        with gr.Tabs():
            for tab in TABS:
                tab.build(ctx, share)
    pages = static.tabs(showroom)
    assert [t["id"] for t in pages] == list(share.tabs)
    for page_tab in pages:
        assert page_tab["link"] == list(share.tabs[page_tab["id"]]), page_tab["id"]
        defaults = {c["key"]: c["value"] for c in page_tab["controls"]}
        for key, (component, _) in share.tabs[page_tab["id"]].items():
            assert defaults[key] == component.value, (page_tab["id"], key)


def test_formulas_survive_the_markdown():
    shown = static.markdown_html(r"**Objective**: $$\min_D\; -\mathbb{E}_x \log D(x)$$ and $a_b$ <b>x</b>")
    assert r'data-display="true">\min_D\; -\mathbb{E}_x \log D(x)</span>' in shown
    assert 'data-display="false">a_b</span>' in shown and "&lt;b&gt;" in shown


# ---- in the browser -----------------------------------------------------------------------------------------
@pytest.fixture
def page(browser, site_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.elsewhere = []  # every request that is not to the static server
    page.on(
        "request", lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else page.elsewhere.append(r.url)
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.elsewhere == [] and page.errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_every_tab_draws_and_the_playground_plays(page, site_url):
    page.goto(site_url)
    drawn(page, "grid")
    assert page.locator(".gd-about math").count() > 0  # the model's objective, as a formula
    for title, view, tab in (
        ("Compare", "compare", "compare"),
        ("Latent walk", "strip", "walk"),
        ("2-D models", "toy-plot", "toy"),
    ):
        page.get_by_role("tab", name=title).click()
        drawn(page, view)
        assert parse_qs(urlparse(page.url).query)["tab"] == [tab]
    page.get_by_role("tab", name="Training").click()
    page.wait_for_function("() => document.getElementById('losses').naturalWidth > 0")
    page.wait_for_function("() => document.getElementById('snapshot').naturalWidth > 0")
    assert "python -m train" in page.locator("#card").inner_text()
    page.get_by_role("tab", name="Playground").click()
    page.click("#play")
    page.wait_for_function("() => Number(document.getElementById('playground').dataset.step || 0) >= 10")
    page.click("#pause")


@pytest.mark.browser
@pytest.mark.slow
def test_a_link_restores_its_view_with_pythons_pixels(page, site_url, checkpoints):
    page.goto(f"{site_url}?tab=walk&model=cgan&seed=5&seed_b=9&steps=12&method=lerp&digit=7")
    drawn(page, "strip")
    (shown,) = canvases(page, "strip")
    strip, _ = Showroom(checkpoints, device="cpu").interpolate("cgan", 5, 9, 12, "lerp", "7")
    expected = np.asarray(strip.convert("RGB"))
    assert shown.shape == expected.shape and np.abs(shown.astype(int) - expected).max() <= TOLERANCE
    assert page.locator("#walk-seed_b input[type=text]").input_value() == "9"
    # the address follows the controls, as the app's does
    page.locator("#walk-seed input[type=text]").fill("12")
    page.wait_for_function("() => location.search.includes('seed=12')")
    query = parse_qs(urlparse(page.url).query)
    assert query["tab"] == ["walk"] and query["seed_b"] == ["9"] and query["method"] == ["lerp"]
    assert page.locator("#view-link").input_value() == page.url


@pytest.mark.browser
@pytest.mark.slow
def test_a_links_bad_values_are_named_and_the_rest_applies(page, site_url):
    page.goto(f"{site_url}?tab=generate&model=gan&seed=-3&rows=99&cols=4")
    drawn(page, "grid")
    problems = page.locator("#link-problems").inner_text()
    assert "this link's seed" in problems and "this link's rows: rows must be from 1 to 16, got 99" in problems
    assert page.locator("#generate-model select").input_value() == "gan"
    assert page.locator("#generate-cols input[type=number]").input_value() == "4"
    page.goto(f"{site_url}?tab=nowhere")
    drawn(page, "grid")
    assert "tab 'nowhere' is not one of generate" in page.locator("#link-problems").inner_text()


@pytest.mark.browser
@pytest.mark.slow
def test_any_seed_draws_exactly_and_a_bad_one_is_named(page, site_url, checkpoints):
    """Seeds above 2**53 are exact here too (the page hands the runtime a BigInt), with Python's pixels."""
    seed = 2**53 + 1
    page.goto(f"{site_url}?tab=generate&model=dcgan&seed={seed}&rows=2&cols=3")
    drawn(page, "grid")
    (shown,) = canvases(page, "grid")
    expected = np.asarray(Showroom(checkpoints, device="cpu").generate("dcgan", seed, 2, 3).convert("RGB"))
    assert shown.shape == expected.shape and np.abs(shown.astype(int) - expected).max() <= TOLERANCE
    page.locator("#generate-seed input[type=text]").fill(str(2**63))
    page.wait_for_function("() => document.getElementById('grid').dataset.error")
    error = page.evaluate("() => document.getElementById('grid').dataset.error")
    assert error == f"seed must be a whole number from 0 to 2**63 - 1, got '{2**63}'"


@pytest.mark.browser
@pytest.mark.slow
def test_a_link_naming_a_preset_shows_its_note(page, site_url):
    from urllib.parse import quote

    from gandemo.core.presets import PRESETS

    name = "Mode collapse: the plain GAN on the ring"
    page.goto(f"{site_url}?tab=playground&preset={quote(name)}")
    page.wait_for_function("() => document.getElementById('playground')?.dataset.frames")
    assert page.locator("#preset-note").inner_text() == f"{name}. {PRESETS[name]['explanation']}"
