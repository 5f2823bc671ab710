"""The Train on digits tab in a real Chromium: it trains an MNIST GAN in the page from scratch (no training request),
the grid of fixed latents changes, the classifier's histogram and the collapse alarm update, Save hands over a .zip
that Python loads and scores, each preset shows what its note promises, and the static edition plays with no
request leaving its own server. The alarm's words are held to gandemo.core.explain's in Node."""

from __future__ import annotations

import json
import zipfile
from urllib.parse import urlparse

import numpy as np
import pytest

import gandemo
from gandemo.core import explain
from gandemo.core.checkpoints import file_names
from gandemo.evaluate import main as evaluate_main
from gandemo.ui import digits
from tests.browser_helpers import canvases, in_page, queue_requests
from tests.node_helpers import run_module

READ = digits.READ
# (histogram, near-duplicate share, real digits' share): each branch of the verdict, and 16 of 256 (6.25%: an
# exact tie, which Python's format rounds to even)
ALARM_CASES = [
    ([0.1] * 10, 0.01, 0.0078125),
    ([0.0625, *[0.9375 / 9] * 9], 0.0, None),
    ([0.01, 0.01, *[0.98 / 8] * 8], 0.02, 0.01),
    ([0.015, *[0.985 / 9] * 9], 0.02, 0.01),
    ([0.25, *[0.75 / 9] * 9], 0.05, 0.01),
    ([0.6, 0.4, *[0.0] * 8], 0.7, 0.01),
    ([0.1] * 10, 0.1875, 0.01),
    ([0.1] * 10, 0.6, 0.01),
]


def test_the_alarm_says_the_same_in_python_and_the_browser():
    metrics = [
        {"digit_histogram": h, "near_duplicate_share": d, "near_duplicate_share_real": r} for h, d, r in ALARM_CASES
    ]
    code = (
        f"const alarm = {json.dumps(explain.DIGIT_ALARM)};\n"
        f"console.log(JSON.stringify({json.dumps(metrics)}.map((m) => alarm_.digitVerdict(m, alarm))));"
    )
    found = run_module("digit-alarm", "alarm_", code)
    expected = [list(explain.collapse_verdict(m)) for m in metrics]
    assert found == expected
    assert [alarm for alarm, _ in expected] == [False, False, True, True, True, True, True, True]
    assert "6.2%" in expected[1][1] and expected[5][1].endswith(": mode collapse")


def test_the_measures_the_alarm_reads_are_gandemos(tmp_path):
    from gandemo.measures import metrics

    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10) * 0.3, size=64)
    features = np.concatenate([rng.normal(size=(60, 8)), np.repeat(rng.normal(size=(1, 8)), 4, axis=0)])
    threshold = float(np.quantile(metrics.nearest_other_distances(features), 0.12))
    code = (
        f"const probs = {json.dumps(probs.ravel().tolist())};\n"
        f"const features = {json.dumps(features.ravel().tolist())};\n"
        "const near = a.nearestOther(features, 64);\n"
        "console.log(JSON.stringify([a.digitHistogram(probs, 64), a.nearDuplicateShare(features, 64, "
        f"{threshold}), a.quantile(near, 0.12)]));"
    )
    histogram, share, quantile = run_module("digit-alarm", "a", code)
    assert histogram == pytest.approx(metrics.digit_histogram(probs))
    assert share == pytest.approx(metrics.near_duplicate_share(features, threshold)) and share >= 4 / 64
    assert quantile == pytest.approx(threshold, rel=1e-5)


# ---- in Chromium -----------------------------------------------------------------------------------------------


def mark(page, key: str) -> str:
    return page.evaluate("(key) => document.getElementById('digits').dataset[key] ?? ''", key)


def wait_mark(page, key: str, predicate: str, arg=None, timeout=120_000):
    """Wait until ``predicate`` (JavaScript of ``v``, the view's data-``key``, and ``arg``) holds."""
    page.wait_for_function(
        "([key, arg]) => { const v = document.getElementById('digits')?.dataset[key]; "
        f"return v !== undefined && ({predicate}); }}",
        arg=[key, arg],
        timeout=timeout,
    )


def grid(page) -> np.ndarray:
    return canvases(page, "digits")[0]


def play_and_save(page, tmp_path) -> None:
    """Play from scratch until the alarm judges a reading of the classifier, then Save: what each edition holds."""
    wait_mark(page, "reading", "v === '0'")  # the fresh generator, read and drawn
    before, alarm = grid(page), page.inner_text("#digits-alarm")
    assert mark(page, "alarm") == "early" and "too early to judge" in alarm
    page.click("#digits-play")
    page.wait_for_function("() => /^step [1-9][0-9]* /.test(document.getElementById('digits-stats').textContent)")
    wait_mark(page, "reading", "Number(v) >= arg", digits.EARLY_STEPS)
    page.click("#digits-pause")
    assert not np.array_equal(grid(page), before)  # the same latents, new digits
    # the histogram and the alarm read a new batch of samples: the alarm's verdict is in collapse_verdict's words
    assert mark(page, "alarm") in ("on", "off") and page.inner_text("#digits-alarm") != alarm
    assert len(mark(page, "histogram").split(",")) == 10
    steps = int(mark(page, "step"))
    assert steps >= digits.EARLY_STEPS
    with page.expect_download() as download:
        page.click("#digits-save")
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "models")
    (folder,) = (tmp_path / "models").iterdir()
    config = json.loads((folder / file_names()["config"]).read_text())
    training = config["training"]
    assert training["device"] == "browser" and training["steps"] >= steps and training["data"]["count"] == 10_000
    assert "in a web browser" in config["description"] and "subset of MNIST" in config["description"]
    generator = gandemo.load_generator(folder, device="cpu")
    labels = [0, 1, 2, 3] if generator.config.num_classes else None  # (the default model is the CGAN)
    assert tuple(gandemo.sample(generator, 4, seed=0, labels=labels).shape) == (4, 1, 28, 28)


@pytest.mark.browser
@pytest.mark.slow
def test_the_tab_plays_from_scratch_in_the_page_and_saves_a_model_python_scores(browser, app_url, mnist_dir, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{app_url}?tab=digits")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    sent = queue_requests(page)
    play_and_save(page, tmp_path)
    assert sent == []  # training, reading and saving: all in the page
    (folder,) = (tmp_path / "models").iterdir()
    found = evaluate_main([str(folder), "--samples", "500", "--device", "cpu", "--data-dir", str(mnist_dir)])
    assert 1 <= found["inception_score"] <= 10 and len(found["digit_histogram"]) == 10
    assert "metrics" in json.loads((folder / "config.json").read_text())
    # a bad setting in the link is answered with the Playground's sentence, and the rest of the link applies
    page.goto(f"{app_url}?tab=digits&batch=7&objective=hinge")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    page.get_by_text("this link's batch: batch size must be").first.wait_for()
    page.close()


@pytest.mark.browser
def test_a_phone_starts_at_the_smaller_batch_and_its_control_says_so(browser, app_url):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{app_url}?tab=digits")
    wait_mark(page, "batch", "v === arg", str(digits.PHONE_BATCH))
    control = "#digits-batch input[type=number]"
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel)?.value === v", arg=[control, str(digits.PHONE_BATCH)]
    )
    page.click("#digits-step")
    page.wait_for_function("() => /on this small screen/.test(document.getElementById('digits-stats').textContent)")
    # a batch the visitor sets afterwards is the batch the next session runs
    page.fill(control, "32")
    page.press(control, "Enter")
    page.click("#digits-reset")
    wait_mark(page, "batch", "v === '32'")
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_static_edition_plays_the_tab_with_no_request_leaving_its_server(browser, site_url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    elsewhere: list[str] = []
    host = urlparse(site_url).netloc
    page.on("request", lambda r: elsewhere.append(r.url) if urlparse(r.url).netloc not in (host, "") else None)
    page.goto(f"{site_url}?tab=digits")
    play_and_save(page, tmp_path)
    assert elsewhere == []
    page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(digits.PRESETS))
def test_each_preset_shows_what_its_note_promises(browser, app_url, name):
    preset = digits.PRESETS[name]
    expect = preset["expect"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_url}?tab=digits")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    wait_mark(page, "reading", "v === '0'")
    page.evaluate(
        "(name) => import(document.querySelector('[data-web]').dataset.web + 'widgets/view.js')"
        ".then((v) => v.command('digits', 'preset', name))",
        name,
    )
    wait_mark(page, "preset", "v === arg", name)
    wait_mark(page, "reading", "Number(v) >= arg", expect["by_step"], timeout=300_000)
    page.click("#digits-pause")
    readings = in_page(page, "(t) => t.inspect('digits').readings")
    shown = [r for r in readings if r["step"] <= expect["by_step"]]
    values = [r[expect["measure"]] for r in shown]
    assert (min(values) if expect.get("every") else max(values)) >= expect["value"], (name, values)
    if expect.get("alarm"):  # the alarm says it on a reading that shows it
        assert any(r[expect["measure"]] >= expect["value"] and r["verdict"] and r["verdict"][0] for r in shown)
    page.close()
