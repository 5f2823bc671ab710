"""Links that carry a view: reading a link's values checks each one like any other input."""

from __future__ import annotations

from gandemo.ui import links

TABS = {
    "toy": {"model": links.choice("model", ["toy-gan", "toy-wgan-gp"]), "seed": links.seed()},
    "playground": {"g_lr": links.number("generator lr", 1e-6, 1e-2), "width": links.whole("width", 8, 512)},
}


def test_a_link_gives_its_tab_and_checked_values_and_ignores_unknown_keys():
    tab, values, problems = links.read_link({"tab": "toy", "model": "toy-gan", "seed": "7", "utm": "x"}, TABS)
    assert (tab, values, problems) == ("toy", {"model": "toy-gan", "seed": 7}, [])
    tab, values, _ = links.read_link({"tab": "playground", "g_lr": "0.001", "width": "64"}, TABS)
    assert values == {"g_lr": 0.001, "width": 64}
    assert links.read_link({}, TABS) == (None, {}, [])


def test_a_bad_value_is_named_and_left_out_while_the_rest_applies():
    tab, values, problems = links.read_link({"tab": "toy", "model": "nope", "seed": "-3"}, TABS)
    assert tab == "toy" and values == {}
    assert problems[0].startswith("this link's model: model must be one of 'toy-gan', 'toy-wgan-gp'; got 'nope'")
    assert problems[1].startswith("this link's seed: seed must be a whole number")
    _, values, problems = links.read_link({"tab": "playground", "g_lr": "1e9", "width": "64"}, TABS)
    assert values == {"width": 64} and "generator lr must be" in problems[0]
    assert links.read_link({"tab": "admin"}, TABS)[2] == ["this link's tab 'admin' is not one of toy, playground"]


def test_the_query_a_page_writes_reads_back():
    from urllib.parse import parse_qsl

    text = links.query("toy", {"model": "toy-gan", "seed": 12, "digit": None})
    assert text == "?tab=toy&model=toy-gan&seed=12"
    assert links.read_link(dict(parse_qsl(text[1:])), TABS)[1] == {"model": "toy-gan", "seed": 12}
