"""The 2-D targets: one table and one sampling scheme, the same points in Python and in the browser, and the
visitor's CSV read with sentences that name the line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gandemo.core import targets
from gandemo.core.data import RING_CENTERS, RING_STD
from gandemo.measures.metrics import mode_coverage
from tests.node_helpers import run_module

CLICKED = [[0.5, -1.0], [1.25, 2.0], [-2.0, 0.0]]


def _javascript(code: str):
    return run_module("targets", "targets", code)


def test_python_and_javascript_draw_the_same_points_of_every_target():
    table = json.dumps(targets.table()["targets"])
    js = _javascript(
        f"const table = {table}; const out = {{}};"
        "for (const [name, spec] of Object.entries(table)) for (const seed of [0, 7, 2 ** 40])"
        " for (const draw of [0, 3])"
        f"  out[`${{name}}/${{seed}}/${{draw}}`] = Array.from(targets.sampleTarget(spec, seed, 400, {{ draw, points: "
        f"{json.dumps(CLICKED)} }}));"
        "console.log(JSON.stringify(out));"
    )
    for key, values in js.items():
        name, seed, draw = key.rsplit("/", 2)
        expected = targets.sample(name, int(seed), 400, draw=int(draw), points=CLICKED)
        assert np.allclose(np.array(values, dtype=np.float32).reshape(-1, 2), expected, rtol=0, atol=1e-6), key
    assert len(js) == len(targets.TARGETS) * 6


def test_the_ring_is_the_one_the_toys_learned_and_draws_differ():
    assert np.allclose(targets.TARGETS["8 Gaussians"]["centers"], RING_CENTERS.numpy())
    assert targets.TARGETS["8 Gaussians"]["std"] == RING_STD
    points = targets.sample("8 Gaussians", 5, 8000)
    coverage = mode_coverage(points)
    assert coverage["modes_captured"] == 8 and abs(coverage["high_quality_share"] - 0.9889) < 0.005  # 1 - e^(-9/2)
    assert abs(coverage["kl_to_uniform"]) < 0.01  # the modes are drawn evenly
    assert not np.array_equal(points[:100], targets.sample("8 Gaussians", 5, 100, draw=1))
    assert np.array_equal(points[:100], targets.sample("8 Gaussians", 5, 100))  # a prefix: a point never changes


def test_a_config_names_its_target_and_old_ones_learned_the_ring():
    assert targets.of_config({}) == {"name": "8 Gaussians", "points": None}
    assert targets.of_config({"target": {"name": "two moons"}}) == {"name": "two moons", "points": None}
    mine = targets.of_config({"target": {"name": "your points", "points": CLICKED}})
    assert mine["points"] == CLICKED and targets.modes("your points", mine["points"])[0].shape == (3, 2)
    assert targets.modes("swiss roll") is None
    with pytest.raises(ValueError, match="target must be one of"):
        targets.of_config({"target": {"name": "a circle"}})
    with pytest.raises(ValueError, match=r"points\[0\]"):
        targets.of_config({"target": {"name": "your points", "points": [[0, "x"]]}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x,y\n1,2\n-1;-2\n\n0.5\t0.25", [[1, 2], [-1, -2], [0.5, 0.25]]),
        ("10,0\n-10,5", [[2.5, -0.625], [-2.5, 0.625]]),  # scaled and centred into the plot
        ("1,2\nfoo,bar", "points file, line 2: expected two numbers x,y, got 'foo,bar'"),
        ("1,nan", "points file, line 1: x and y must be finite numbers"),
        ("1,2,3\n4,5,6", "points file, line 1: expected two numbers"),  # numbers: not a header
        ('"x";"y"\n"1";"2"\n0.5,-1', [[1, 2], [0.5, -1]]),  # a header of names, quoted numbers
        ("'1','2'\n0.5,-1", [[1, 2], [0.5, -1]]),  # a quoted first line is data
        ("x,1\n3,4", "points file, line 1: expected two numbers x,y, got 'x,1'"),  # half a header is a bad line
        ("0,0\n1e308,0", "points file, line 2: x and y must be from -1,000,000 to 1,000,000, got '1e308,0'"),
        ("", "points file holds no x,y rows"),
        ("\n".join(["1,1"] * 5001), "points file has more than 5,000 points; use fewer"),
    ],
)
def test_the_browser_reads_a_visitors_csv_or_names_the_line(text, expected):
    js = _javascript(
        "let out; try { out = targets.parsePoints("
        + json.dumps(text)
        + ", { maxPoints: 5000, limit: 2.5, maxValue: "
        + json.dumps(targets.MAX_VALUE)
        + " }); } "
        "catch (error) { out = error.message; } console.log(JSON.stringify(out));"
    )
    if isinstance(expected, str):
        assert js.startswith(expected)
    else:
        assert np.allclose(js, expected)


def test_a_links_points_are_written_and_read_alike_in_python_and_javascript():
    """The visitor's own points in a link: compact, rounded to hundredths, the same text and the same sentences
    in both languages; more than a link holds are named."""
    table = json.dumps(targets.table())
    many = [[0.5, 0.5]] * (targets.MAX_LINK_POINTS + 1)
    clicked = [[0.123, -1.0], [2.999, 0.004], [-0.001, 0.0]]
    js = _javascript(
        f"const t = {table}; const said = (f) => {{ try {{ return f(); }} catch (e) {{ return e.message; }} }};"
        f"const text = targets.pointsLinkText({json.dumps(clicked)}, t);"
        "console.log(JSON.stringify({ text, back: targets.readLinkPoints(text, t),"
        f" many: targets.pointsLinkText({json.dumps(many)}, t),"
        " bad: ['1_2_3', 'a_1', '9_1', t.link_too_many, ''].map((s) => said(() => targets.readLinkPoints(s, t))) }));"
    )
    assert js["text"] == targets.link_text(clicked) == "0.12_-1_3_0_0_0"
    assert js["back"] == targets.read_link_points(js["text"]) == [[0.12, -1], [3, 0], [0, 0]]
    assert js["many"] is None and targets.link_text(many) == targets.LINK_TOO_MANY
    for text, sentence in zip(["1_2_3", "a_1", "9_1", targets.LINK_TOO_MANY], js["bad"], strict=False):
        with pytest.raises(ValueError) as raised:
            targets.read_link_points(text)
        assert str(raised.value) == sentence
    assert js["bad"][-1] == [] and targets.read_link_points("") == []
    assert len(targets.link_text([[-2.99, -2.99]] * targets.MAX_LINK_POINTS)) < 3000  # a link stays near 2 KB
