"""The pictures made in the visitor's browser (gandemo/web): the same pixels as the API's PNGs for every
shipped model, the same 2-D points as Python's, no request to the server as the controls move, and the
server's pictures when the browser cannot run the models."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

import gandemo
from gandemo.core import targets
from gandemo.measures import metrics
from tests.browser_helpers import canvases, drawn, in_page, png, push, queue_requests
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOLERANCE = 2  # of 255


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    drawn(page, "grid")
    yield page
    page.close()


def _models(page, data: str) -> list[str]:
    return in_page(page, f"(t) => t.site().{data}")


def test_every_mnist_model_draws_the_api_pictures_in_the_browser(page, client):
    count = drawn(page, "grid")
    cases = [(7, 8, 8, "all digits"), (0, 3, 5, "all digits"), (2**31 - 1, 2, 16, "4")]
    for model in _models(page, "mnist"):
        conditional = in_page(page, "(t, m) => t.site().models[m].conditional", model)
        for seed, rows, cols, digit in cases:
            digit = digit if conditional else "all digits"
            push(page, "grid", [model, seed, rows, cols, digit])
            count = drawn(page, "grid", after=count)
            (shown,) = canvases(page, "grid")
            expected = png(client.predict(model, seed, rows, cols, digit, api_name="/generate"))
            assert shown.shape == expected.shape, (model, seed, rows, cols, digit)
            worst = np.abs(shown.astype(int) - expected).max()
            assert worst <= TOLERANCE, (model, seed, rows, cols, digit, worst)


def test_compare_and_the_walk_draw_the_api_pictures_in_the_browser(page, client):
    page.get_by_role("tab", name="Compare").click()
    count = drawn(page, "compare")
    push(page, "compare", [11])
    drawn(page, "compare", after=count)
    for shown, item in zip(canvases(page, "compare"), client.predict(11, api_name="/compare"), strict=True):
        assert np.abs(shown.astype(int) - png(item["image"])).max() <= TOLERANCE, item["caption"]
    page.get_by_role("tab", name="Latent walk").click()
    walk = drawn(page, "strip")
    push(page, "strip", ["cgan", 5, 9, 12, "lerp", "7"])
    drawn(page, "strip", after=walk)
    strip, _ = client.predict("cgan", 5, 9, 12, "lerp", "7", api_name="/interpolate")
    (shown,) = canvases(page, "strip")
    assert shown.shape == png(strip).shape and np.abs(shown.astype(int) - png(strip)).max() <= TOLERANCE


def test_the_toy_points_and_coverage_are_pythons(page):
    page.get_by_role("tab", name="2-D models").click()
    count = drawn(page, "toy-plot")
    for model in _models(page, "toys"):
        push(page, "toy-plot", [model, 42, 1500])
        count = drawn(page, "toy-plot", after=count)
        shown = in_page(
            page,
            "(t) => { const d = t.inspect('toy-plot'); "
            "return { fake: Array.from(d.fake), real: Array.from(d.real), coverage: d.coverage }; }",
        )
        generator = gandemo.load_generator(ROOT / "checkpoints" / model, device="cpu")
        fake = gandemo.sample(generator, 1500, seed=42).numpy()
        assert np.abs(np.array(shown["fake"]).reshape(-1, 2) - fake).max() < 1e-4
        real = targets.sample("8 Gaussians", 42, 1500)
        assert np.abs(np.array(shown["real"]).reshape(-1, 2) - real).max() < 1e-6
        expected = metrics.mode_coverage(fake)
        assert shown["coverage"]["modes_captured"] == expected["modes_captured"]
        assert shown["coverage"]["high_quality_share"] == pytest.approx(expected["high_quality_share"], abs=1e-3)
        assert shown["coverage"]["modes_held"] == expected["modes_held"]  # what the collapse alarm reads
        assert shown["coverage"]["near_share"] == pytest.approx(expected["near_share"], abs=1e-3)
    words = page.locator("#coverage").inner_text()
    assert "modes captured" in words
    assert "Collapse alarm: all 8 modes hold a fair share of the points: no collapse." in words


SEED_BOXES = {  # tab -> (its view, its seed box)
    "MNIST generators": ("grid", "seed"),
    "Compare": ("compare", "compare-seed"),
    "Latent walk": ("strip", "walk-seed"),
    "2-D models": ("toy-plot", "toy-seed"),
}


@pytest.mark.parametrize("tab", list(SEED_BOXES))
def test_moving_the_seed_20_times_redraws_in_the_browser_with_no_request(page, tab):
    view, box_id = SEED_BOXES[tab]
    page.get_by_role("tab", name=tab).click()
    count = drawn(page, view)
    sent = queue_requests(page)
    box = page.locator(f"#{box_id} input[type=text]")
    before = canvases(page, view)[0]
    for seed in range(101, 121):
        box.fill(str(seed))
        box.press("Enter")
        count = drawn(page, view, after=count)
    assert count >= 21 and sent == []
    assert not np.array_equal(canvases(page, view)[0], before)
    assert str(120) in page.locator("#view-link textarea, #view-link input").first.input_value()  # the link follows


def test_without_its_runtime_the_page_says_so_and_shows_the_servers_pictures(browser, app_url, client):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route("**/tf-core.min.js", lambda route: route.abort())  # the browser cannot run the models
    page.goto(f"{app_url}?tab=generate&model=gan&seed=9&rows=2&cols=3")
    drawn(page, "grid")  # (the server's first picture, then the view's own draw: the server's again)
    page.wait_for_function("() => document.querySelector('#grid img.gd-picture:not([hidden])')?.naturalWidth > 0")
    assert "Drawn by the server" in page.locator("#grid").inner_text()
    src = page.locator("#grid img.gd-picture").get_attribute("src")
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB"))
    assert np.array_equal(shown, png(client.predict("gan", 9, 2, 3, "all digits", api_name="/generate")))
    push(page, "grid", ["gan", 9, 2, 99, "all digits"])  # the server names a bad value as the browser would
    page.wait_for_function("() => document.getElementById('grid').dataset.error")
    assert "columns must be from 1 to 16, got 99" in page.locator("#grid .gd-note").inner_text()
    page.close()


def test_a_bad_value_in_the_page_is_named_and_the_picture_stays(page):
    (before,) = canvases(page, "grid")
    for values, sentence in [
        (["dcgan", -3, 8, 8, "all digits"], "seed must be a whole number from 0 to 2**63 - 1, got -3"),
        (["dcgan", 1, 99, 8, "all digits"], "rows must be from 1 to 16, got 99"),
        (["dcgan", None, 8, 8, "all digits"], "seed must be a whole number from 0 to 2**63 - 1, got nothing"),
        (["nope", 1, 8, 8, "all digits"], "model must be one of"),
    ]:
        push(page, "grid", values)
        page.wait_for_function(
            "(text) => document.getElementById('grid').dataset.error?.startsWith(text)", arg=sentence
        )
        assert sentence in page.locator("#grid .gd-note").inner_text()
    (after,) = canvases(page, "grid")
    assert np.array_equal(before, after)  # nothing lost: the last good picture stays


def test_dragging_a_direction_slider_redraws_on_every_movement_with_pythons_pixels(page, client):
    """The Latent directions tab: each movement of a slider redraws the sample in the browser (no request), and
    the browser's picture and strip for an offset are the API's (Python's) within 2/255."""
    page.get_by_role("tab", name="Latent directions").click()
    count = drawn(page, "steer")
    sent = queue_requests(page)
    slider = page.locator("#direction-1 input[type=range]")
    for value in ("0.5", "1", "1.5", "2", "2.5"):
        slider.fill(value)
        count = drawn(page, "steer", after=count)
        assert in_page(page, "(t) => t.values('steer')[3]") == float(value)
    assert sent == []
    offsets = [2.5, -1, 0, 0.5, 3]
    push(page, "steer", ["dcgan", 7, 5, *offsets])
    drawn(page, "steer", after=count)
    shown = canvases(page, "steer")
    expected = client.predict("dcgan", 7, 5, *offsets, api_name="/directions")
    for canvas, picture in zip(shown, expected, strict=True):
        assert canvas.shape == png(picture).shape and np.abs(canvas.astype(int) - png(picture)).max() <= TOLERANCE
    assert "changes the digit" in page.locator("#steer .gd-directions").inner_text()


def test_beside_the_grid_each_model_shows_its_collapse_verdict_and_per_digit_chart(page):
    page.get_by_role("tab", name="MNIST generators").click()
    count = drawn(page, "grid")
    for model in _models(page, "mnist"):
        push(page, "grid", [model, 0, 2, 2, "all digits"])
        count = drawn(page, "grid", after=count)
        alarm = page.locator("#collapse-alarm")
        assert (
            alarm.inner_text().startswith("Collapse alarm: all 10 digits")
            and alarm.get_attribute("data-alarm") == "off"
        )
        assert page.locator("#per-digit").is_visible()
        assert "precision (blue) and recall (orange)" in page.locator("#measures").inner_text()
        page.wait_for_function("(m) => document.getElementById('digit-map')?.dataset.drawn === m", arg=model)
        assert "lays out the digits" in page.locator("#digit-map").inner_text()
