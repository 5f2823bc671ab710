"""Is it copying? The MNIST tab's switch in Chromium: each sample beside its 3 nearest training digits with their
distances and the scale line; the app searches all 60,000 training digits on its server (real MNIST), the static
edition the digits it ships, in the page, with no request leaving its server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gandemo.service.neighbours import TrainingIndex
from tests.browser_helpers import drawn, push

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mnist_app(mnist_dir, tmp_path_factory):
    from app import build_demo, serve
    from gandemo.service.showroom import Showroom

    cache = tmp_path_factory.mktemp("cache")
    built = TrainingIndex(ROOT / "checkpoints" / "mnist-classifier", data_dir=mnist_dir, cache_dir=cache).start()
    assert built.done.wait(900) and built.state == "ready", built.status()  # (the app reads it from the cache)
    demo = build_demo(Showroom(ROOT / "checkpoints", device="cpu"), data_dir=mnist_dir, cache_dir=cache)
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        yield demo.local_url
    finally:
        demo.close()


def switched_on(page, rows: int) -> list[str]:
    """Turn the switch on, wait for ``rows`` samples beside their neighbours; each row's captions."""
    page.locator("#neighbours-switch").check()
    page.wait_for_function(
        "(n) => document.getElementById('neighbours')?.dataset.state === 'shown' && "
        "document.querySelectorAll('#neighbours-list .gd-near-row').length === n",
        arg=rows,
        timeout=300_000,
    )
    return page.locator("#neighbours-list .gd-near-row").all_inner_texts()


def captions(text: str) -> list[str]:
    """The "digit · distance" captions under the training digits shown."""
    return re.findall(r"^\d · \d+\.\d\d$", text, flags=re.M)


def click_a_map_point(page, model: str) -> str:
    """Click a point of the digit map (its crowded middle); what the page shows of it: its sample beside its
    nearest training digits, from the switch's search."""
    page.wait_for_function("(m) => document.getElementById('digit-map')?.dataset.drawn === m", arg=model)
    plot = page.locator("#digit-map-plot")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    for fx, fy in ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45), (0.4, 0.4), (0.6, 0.6), (0.5, 0.3), (0.5, 0.7)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        if page.locator("#map-picked").is_visible():
            break
    page.wait_for_function("() => document.getElementById('map-picked')?.dataset.state === 'shown'")
    return page.locator("#map-picked").inner_text()


def click_a_bar(page, digit: int, kind: str) -> str:
    """Click a digit's precision or recall bar of the per-digit chart; the sentence over the pictures it misses."""
    chart = page.locator("#per-digit")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    group = (box["width"] - 28) / 10  # (the chart's left margin, then ten digits' places of two bars each)
    at = 0.31 if kind == "precision" else 0.65
    page.mouse.click(box["x"] + 28 + group * (digit + at), box["y"] + box["height"] / 2)
    page.wait_for_function(
        "(d) => document.getElementById('per-digit-picked')?.dataset.digit === d", arg=str(digit), timeout=60_000
    )
    assert page.locator("#per-digit-picked").get_attribute("data-kind") == kind
    return page.locator("#per-digit-picked").inner_text()


def test_the_switch_shows_each_samples_nearest_training_digits_from_the_server(browser, mnist_app):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(mnist_app)
    count = drawn(page, "grid")
    push(page, "grid", ["gan", 0, 2, 2, "all digits"])
    count = drawn(page, "grid", after=count)
    rows = switched_on(page, 4)
    for row in rows:
        under = captions(row)
        distances = [float(c.split("·")[1]) for c in under]
        assert len(under) == 3 and distances == sorted(distances) and distances[0] > 0, row
    assert "For scale: a real digit typically sits" in page.locator("#neighbours-scale").inner_text()
    assert "all 60,000 MNIST training digits" in page.locator("#neighbours-searched").inner_text()
    push(page, "grid", ["cgan", 1, 1, 3, "all digits"])  # a new grid, searched again: one row of the ten digits
    page.wait_for_function("() => document.querySelectorAll('#neighbours-list .gd-near-row').length === 10")
    page.locator("#neighbours-switch").uncheck()
    assert page.locator("#neighbours-list").is_hidden()
    clicked = click_a_map_point(page, "cgan")
    assert "read as the digit" in clicked and "typically sits" in clicked and len(captions(clicked)) == 3
    sixes = click_a_bar(page, 6, "recall")  # "recall 0.58 for sixes" becomes the sixes the CGAN never draws
    assert re.match(r"Recall 0\.58 for 6s: 400 of 958 real test 6s lie outside", sixes), sixes
    assert "The 20 farthest outside" in sixes and page.locator("#per-digit-picked canvas").count() == 20
    page.close()


def test_the_static_edition_searches_the_digits_it_ships_in_the_page(browser, site_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else elsewhere.append(r.url))
    page.goto(f"{site_url}?tab=generate&model=dcgan&seed=3&rows=2&cols=3")
    drawn(page, "grid")
    rows = switched_on(page, 6)
    assert all(row.count("·") == 3 for row in rows)
    searched = page.locator("#neighbours-searched").inner_text()
    assert searched.startswith("Searched in your browser: the 10,000 MNIST training digits this page ships")
    clicked = click_a_map_point(page, "dcgan")
    assert clicked.startswith("Sample ") and "of seed 0, read as the digit" in clicked and len(captions(clicked)) == 3
    threes = click_a_bar(page, 3, "precision")
    assert re.match(r"Precision 0\.85 for 3s: \d+ of dcgan's \d+ samples counted as 3 lie outside", threes), threes
    assert page.locator("#per-digit-picked canvas").count() == 20
    assert elsewhere == []
    page.close()
