"""Plain words for visitors: what a GAN is (one sentence, in both editions), the Latent walk's intro, captions
and metric names a visitor can read (the exact terms kept beside them), the operator's line in the log, and a
loss chart that a first-step spike does not flatten."""

from __future__ import annotations

import json
import logging

import gradio as gr
import numpy as np
import pytest

from gandemo import static
from gandemo.core import explain, plots
from gandemo.core.checkpoints import model_card
from gandemo.measures import directions
from gandemo.service.showroom import Showroom
from gandemo.ui import demo as app_demo
from gandemo.ui import header, walk


@pytest.fixture(scope="module")
def showroom(shown_checkpoints):
    return Showroom(shown_checkpoints, device="cpu")


def _markdowns(blocks: gr.Blocks) -> list[str]:
    return [b.value for b in blocks.blocks.values() if isinstance(b, gr.Markdown) and isinstance(b.value, str)]


def test_both_editions_say_what_a_gan_is_near_the_top_and_no_operator_line(showroom, tmp_path, caplog):
    assert "generative adversarial network" in header.WHAT_IS_A_GAN and len(header.WHAT_IS_A_GAN) < 320
    with caplog.at_level(logging.INFO, logger="gandemo.ui.demo"):
        blocks = app_demo.build_demo(showroom)
    shown = _markdowns(blocks)
    assert header.WHAT_IS_A_GAN in shown[0]  # the first text on the page
    assert not [text for text in shown if "Serving" in text]  # the operator's line went to the log
    assert any("Serving" in record.getMessage() for record in caplog.records)
    assert any(text.startswith(f"{len(showroom.names())} models shown, drawn in your browser") for text in shown)
    page = (static.build(tmp_path / "site", showroom.root) / "index.html").read_text()
    top = page.split("<main>")[1].split('id="tabs"')[0]  # (in the HTML, above the tabs: no script needed)
    assert "<strong>GAN</strong> (generative adversarial network)" in top


def test_the_latent_walk_explains_itself_and_its_words(showroom):
    assert "latent" in walk.INTRO and "slerp" in walk.INTRO and "lerp" in walk.INTRO
    tab = next(t for t in static.tabs(showroom) if t["id"] == walk.TAB)
    assert "slerp" in tab["intro"] and next(c for c in tab["controls"] if c["key"] == "method")["info"]
    name = showroom.names("mnist")[0]
    size = showroom.configs[name]["model"]["latent_dim"]
    assert showroom.compare_caption(name).startswith(f"{name}: from {size} random numbers (z{size})")


def test_direction_words_name_their_measures_for_a_visitor():
    entry = {"r_thickness": 0.53, "r_slant": 0.1, "r_width": -0.4, "r_ink": 0.0, "digit_changes": 0.12}
    said = directions.words(entry)
    assert "more stroke thickness (correlation r = +0.53), less width (r = -0.40)" in said
    assert "from -3 to +3 standard deviations (±3σ) it changes the digit of 12% of samples" in said


def test_metric_names_in_words_with_the_exact_key_beside_them(showroom):
    said = explain.metric_words("frechet_distance_real_floor")
    assert said.startswith("Fréchet distance, real-data floor") and said.endswith("(`frechet_distance_real_floor`)")
    assert explain.metric_words("per_digit_recall_real").startswith("recall per digit of real digits")
    assert explain.metric_words("something_new") == "something_new"
    for name in showroom.names():  # every shipped metric has words, on the card the Training tab shows
        for key in showroom.configs[name].get("metrics") or {}:
            assert explain.metric_words(key) != key, key
            assert f"(`{key}`) |" in showroom.card(name)
    card = model_card({"recipe": "gan", "model": {"data": "mnist"}, "metrics": {"min_digit_share": 0.07}})
    assert "| share of the rarest digit (`min_digit_share`) | 0.07 |" in card
    assert explain.named_metrics(card) == card  # (already in words: left as it is)


def test_a_first_step_spike_does_not_flatten_the_loss_chart():
    rng = np.random.default_rng(0)
    run = 1.0 + 0.1 * rng.standard_normal(2000)
    spiked = run.copy()
    spiked[:5] = [17.5, 9.0, 6.0, 4.0, 3.0]
    limits = plots.robust_limits([spiked])
    assert limits is not None and limits[1] < 3 and limits[0] < run.min() + 0.2 and limits[1] > np.percentile(run, 99)
    assert plots.clipped_note({"g_loss": spiked}, limits).startswith("y-axis clipped: 5 value(s) of the first steps")
    assert plots.robust_limits([run]) is None  # a calm run keeps its full range
    picture = plots.loss_plot({"d_loss": run, "g_loss": spiked})
    assert picture.size == (650, 350)


def test_the_playgrounds_live_chart_clips_as_python_does():
    from tests.node_helpers import run_module

    rng = np.random.default_rng(1)
    spiked = list(1.0 + 0.1 * rng.standard_normal(400))
    spiked[:3] = [17.5, 8.0, 4.0]
    calm = spiked[3:]
    js = run_module(
        "chart",
        "chart",
        f"const clip = {json.dumps(plots.CLIP)};"
        f"console.log(JSON.stringify([chart.robustLimits({json.dumps(spiked)}, clip),"
        f" chart.robustLimits({json.dumps(calm)}, clip)]));",
    )
    assert np.allclose(js[0], plots.robust_limits([spiked]), atol=1e-9) and js[1] is None
    assert plots.robust_limits([calm]) is None
