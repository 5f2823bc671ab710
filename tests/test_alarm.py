"""The 2-D collapse alarm says the same in Python (gandemo.core.explain.toy_verdict: the 2-D models tab's API words)
and in the browser (web/runtime/coverage.js: the 2-D models tab and the Playground, live), from one table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gandemo.core import explain, targets
from gandemo.measures import metrics
from tests.node_helpers import run_module


def _cover(held, near, captured=8, total=8):
    return {"modes_total": total, "modes_held": held, "near_share": near, "modes_captured": captured}


CASES = [  # (coverage, the run so far): one of each level, and each side of each threshold
    (_cover(8, 0.9), None),  # a finished model on every mode
    (_cover(8, 0.3, captured=5), {"step": 300, "near": 0.3, "held": 8, "held_step": 200}),  # spread out
    (_cover(2, 0.1, captured=1), {"step": 10, "near": 0.1, "held": 2, "held_step": 10}),  # not there yet
    (_cover(2, 0.4, captured=1), {"step": 50, "near": 0.4, "held": 2, "held_step": 50}),  # a first cloud
    (_cover(2, 0.1, captured=0), {"step": 400, "near": 0.3, "held": 3, "held_step": 100}),  # crowding again
    (_cover(1, 0.3, captured=1), None),  # a finished model on one mode
    (_cover(4, 0.6, captured=4), {"step": 900, "near": 0.6, "held": 8, "held_step": 700}),  # half: collapse
    (_cover(6, 0.6, captured=6), {"step": 900, "near": 0.6, "held": 8, "held_step": 700}),
    (_cover(6, 0.6), None),  # every mode reached, two thin
    (_cover(25, 0.5, captured=25, total=25), {"step": 2000, "near": 0.5, "held": 25, "held_step": 2000}),
    ({"modes_captured": None, "modes_total": None, "kl_to_uniform": None}, None),
    ({"modes_captured": 8, "modes_total": 8, "kl_to_uniform": 0.3}, None),  # measured before the alarm read this
]


def test_python_and_the_browser_give_the_same_verdicts():
    code = (
        f"const alarm = {json.dumps(explain.TOY_ALARM)};\n"
        f"const cases = {json.dumps(CASES)};\n"
        "console.log(JSON.stringify(cases.map(([c, run]) => coverage.toyVerdict(c, alarm, run))));"
    )
    found = run_module("coverage", "coverage", code)
    expected = [explain.toy_verdict(c, run) for c, run in CASES]
    assert found == [list(v) if v else None for v in expected]
    levels = ["none", "learning", "early", "early", "collapse", "collapse", "collapse", "partial", "uneven", "none"]
    assert [v[0] if v else None for v in expected] == [*levels, None, None]
    best = "(most so far: 8 at step 700)"
    assert expected[7][1] == f"6 of 8 modes hold a fair share of the points {best}: partial collapse"
    assert expected[1][1] == "spread out, 30% of the points near a mode so far: still learning, no collapse"


def test_the_measures_the_alarm_reads_are_the_same_in_python_and_the_browser():
    points = np.concatenate([targets.sample("8 Gaussians", 0, 600), np.random.default_rng(0).normal(size=(400, 2))])
    points = points.astype(np.float32)
    code = (
        f"const points = Float32Array.from({json.dumps(points.ravel().tolist())});\n"
        f"const centers = {json.dumps(metrics.RING_CENTERS.tolist())};\n"
        f"console.log(JSON.stringify(coverage.modeCoverage(points, centers, {metrics.RING_STD})));"
    )
    found = run_module("coverage", "coverage", code)
    expected = metrics.mode_coverage(points)
    assert found["modes_held"] == expected["modes_held"] == 8
    assert found["near_share"] == pytest.approx(expected["near_share"], abs=1e-9)
    assert 0.6 < expected["near_share"] < 0.7


def test_real_points_raise_no_alarm_and_a_collapsed_draw_does():
    real = targets.sample("8 Gaussians", 0, 2500)
    assert explain.toy_verdict(metrics.mode_coverage(real))[0] == "none"
    collapsed = real[real[:, 0] > 1.2]  # the one blob on the right
    level, words = explain.toy_verdict(metrics.mode_coverage(collapsed))
    assert level == "collapse" and words == "the points crowd together: 1 of 8 modes hold a fair share: mode collapse"
    words = explain.metrics_markdown({**metrics.mode_coverage(collapsed), "samples": len(collapsed)})
    assert "100.0% of samples near a mode, 1 of 8 modes holding a fair share" in words
