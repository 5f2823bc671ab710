"""What a link or a file can do to a visitor's page, in both editions: a link's values are shown as short plain
text (never markup, never a request to another host), every valid seed draws Python's picture exactly and
every other is named in one sentence, and a CSV past the allowed range is refused with its line."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import numpy as np
import pytest

from gandemo.service.showroom import Showroom
from tests.browser_helpers import canvases, drawn

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOLERANCE = 2  # of 255
ELSEWHERE = "anyhost.invalid"
PAYLOADS = {  # link key -> value
    "tab": f"<img src=//{ELSEWHERE}/tab>" + "x" * 200,
    "model": "<form><input type=password name=p><button>Log in</button></form>",
    "seed": f"<img src=//{ELSEWHERE}/seed>",
}
SEED_SENTENCE = "seed must be a whole number from 0 to 2**63 - 1, got "


@pytest.fixture(params=["app", "static"])
def edition(request, browser):
    """(page, url, where its link problems are shown) for each edition."""
    url = request.getfixturevalue("app_url" if request.param == "app" else "site_url")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlparse(r.url).hostname == ELSEWHERE else None)
    yield page, url, request.param, elsewhere
    page.close()


def _problems(page, edition: str, words: str, *, timeout: float = 60_000) -> str:
    """The text the page shows about a link's bad values, once it includes ``words``."""
    where = "#link-problems" if edition == "static" else ".toast-body, [data-testid='toast-body'], .toast-wrap"
    page.wait_for_function(
        "([where, words]) => Array.from(document.querySelectorAll(where)).some((e) => e.innerText.includes(words))",
        arg=[where, words],
        timeout=timeout,
    )
    return " ".join(page.locator(where).all_inner_texts())


def _query(**values) -> str:
    return "?" + "&".join(f"{key}={quote(str(value), safe='')}" for key, value in values.items())


def test_a_links_markup_is_shown_as_short_text_and_fetches_nothing(edition):
    page, url, name, elsewhere = edition
    page.goto(url + _query(tab=PAYLOADS["tab"]))
    shown = _problems(page, name, "this link's tab")
    assert "<img src=//anyhost.invalid/tab>" in shown and "x" * 40 not in shown  # as text, and shortened
    page.goto(url + _query(tab="generate", model=PAYLOADS["model"], seed=PAYLOADS["seed"]))
    shown = _problems(page, name, "this link's seed")
    assert "<form><input type=password" in shown and SEED_SENTENCE + "'<img src=//anyhost.invalid/seed>'" in shown
    drawn(page, "grid")
    assert page.locator("input[type=password]").count() == 0 and page.locator(f"img[src*='{ELSEWHERE}']").count() == 0
    assert elsewhere == []


@pytest.mark.parametrize("seed", [2**53 + 1, 2**63 - 1])
def test_every_valid_seed_draws_pythons_picture_exactly(edition, shown_checkpoints, seed):
    page, url, _, _ = edition
    page.goto(url + _query(tab="generate", model="dcgan", seed=seed, rows=2, cols=3))
    drawn(page, "grid")
    (shown,) = canvases(page, "grid")
    showroom = Showroom(shown_checkpoints, device="cpu")
    expected = np.asarray(showroom.generate("dcgan", seed, 2, 3).convert("RGB"))
    assert shown.shape == expected.shape and np.abs(shown.astype(int) - expected).max() <= TOLERANCE
    neighbour = np.asarray(showroom.generate("dcgan", seed - 1, 2, 3).convert("RGB"))
    assert np.abs(shown.astype(int) - neighbour).max() > 50  # not the float-rounded seed's picture


@pytest.mark.parametrize("text", ["²", "١٢", "1e3", "0x10", "9" * 5000, str(2**63)])
def test_a_seed_that_is_not_ascii_digits_in_range_is_named(edition, text):
    page, url, name, _ = edition
    page.goto(url + _query(tab="generate", model="gan", seed=text))
    shown = _problems(page, name, "this link's seed")
    expected = repr(text) if len(text) <= 40 else repr(text[:40])[:37] + "..."
    assert f"this link's seed: {SEED_SENTENCE}{expected}" in shown


def test_a_csv_past_the_range_is_refused_with_its_line(edition, tmp_path):
    page, url, _, _ = edition
    page.goto(url + "?tab=playground")
    page.wait_for_function("() => document.getElementById('playground')?.dataset.frames", timeout=60_000)
    huge = tmp_path / "huge.csv"
    huge.write_text("x,y\n0,0\n1e308,1\n")
    page.locator("#points-file").set_input_files(str(huge))
    page.wait_for_function("() => (document.getElementById('playground').dataset.error || '').includes('line 3')")
    error = page.locator("#playground-error").inner_text()
    assert "points file, line 3: x and y must be from -1,000,000 to 1,000,000, got '1e308,1'" in error


def test_a_views_error_goes_when_a_later_value_draws(edition):
    page, url, name, _ = edition
    page.goto(url + _query(tab="generate", model="gan", seed=3, rows=2, cols=2))
    count = drawn(page, "grid")
    box = page.locator("#seed input[type=text]" if name == "app" else "#generate-seed input[type=text]")
    box.fill("12x")
    page.wait_for_function("() => document.getElementById('grid').dataset.error")
    assert SEED_SENTENCE + "'12x'" in page.locator("#grid .gd-note").first.inner_text()
    box.fill("12")
    drawn(page, "grid", after=count)
    page.wait_for_function("() => !document.getElementById('grid').dataset.error")
    assert all(not note.is_visible() for note in page.locator("#grid .gd-note").all())
