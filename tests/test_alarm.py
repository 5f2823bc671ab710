"""The 2-D collapse alarm says the same in Python (gandemo.explain.toy_verdict: the 2-D models tab's API words)
and in the browser (web/runtime/coverage.js: the 2-D models tab and the Playground, live), from one table."""

from __future__ import annotations

import json

from gandemo import explain, metrics, targets
from tests.node_helpers import run_module

CASES = [  # (coverage, best so far)
    ({"modes_captured": 8, "modes_total": 8, "kl_to_uniform": 0.0123}, None),
    ({"modes_captured": 8, "modes_total": 8, "kl_to_uniform": 0.31}, None),
    ({"modes_captured": 5, "modes_total": 8, "kl_to_uniform": 0.4}, {"captured": 8, "step": 700}),
    ({"modes_captured": 5, "modes_total": 8, "kl_to_uniform": 0.4}, {"captured": 5, "step": 300}),
    ({"modes_captured": 4, "modes_total": 8, "kl_to_uniform": 0.7}, None),
    ({"modes_captured": 1, "modes_total": 25, "kl_to_uniform": 0.0}, {"captured": 3, "step": 20}),
    ({"modes_captured": None, "modes_total": None, "kl_to_uniform": None}, None),
]


def test_python_and_the_browser_give_the_same_verdicts():
    code = (
        f"const alarm = {json.dumps(explain.TOY_ALARM)};\n"
        f"const cases = {json.dumps(CASES)};\n"
        "console.log(JSON.stringify(cases.map(([c, best]) => coverage.toyVerdict(c, alarm, best))));"
    )
    found = run_module("coverage", "coverage", code)
    expected = [explain.toy_verdict(c, best) for c, best in CASES]
    assert found == [list(v) if v else None for v in expected]
    assert [v[0] if v else None for v in expected] == [
        "none",
        "uneven",
        "partial",
        "partial",
        "collapse",
        "collapse",
        None,
    ]
    assert expected[2][1] == "5 of 8 modes (most so far: 8 at step 700): partial collapse"


def test_real_points_raise_no_alarm_and_a_collapsed_draw_does():
    real = targets.sample("8 Gaussians", 0, 2500)
    assert explain.toy_verdict(metrics.mode_coverage(real))[0] == "none"
    collapsed = real[real[:, 0] > 1.2]  # the one blob on the right
    level, words = explain.toy_verdict(metrics.mode_coverage(collapsed))
    assert level == "collapse" and words.startswith("1 of 8 modes")
