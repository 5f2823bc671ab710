"""Links that carry a view: the page's address holds the open tab and its settings (``?tab=toy&model=
toy-gan&seed=7``), so a shared link reopens what its sender saw.

The address is written in the browser (:func:`link_script`, no request per change) and read on the server
when a page opens (:func:`read_link`), where every value is checked like any other input."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import gradio as gr

from ..core import inputs
from ..core.settings import Setting
from .browser import js

Reader = Callable[[str], object]


def setting(s: Setting) -> Reader:
    """A link's value for a setting of ``gandemo.core.settings``: its range, its sentence."""
    return s.read_text


def whole(name: str, low: int, high: int) -> Reader:
    return setting(Setting(name, low, high, low))


def seed(name: str = "seed") -> Reader:
    def read(text: str) -> int:
        return inputs.seed(text, name)  # (text of ASCII digits, exactly: the one rule for a seed)

    return read


def number(name: str, low: float, high: float) -> Reader:
    return setting(Setting(name, low, high, low, step=0, whole=False))


def choice(name: str, options: Sequence[str]) -> Reader:
    def read(text: str) -> str:
        return inputs.choice(text, name, list(options))

    return read


def read_link(
    params: Mapping[str, str], tabs: Mapping[str, Mapping[str, Reader]]
) -> tuple[str | None, dict[str, object], list[str]]:
    """The tab a link names, the values it gives for that tab's fields, and a sentence for each value that
    could not be used (it is left out; the rest of the link still applies). Unknown keys are ignored."""
    tab = params.get("tab")
    if tab is None:
        return None, {}, []
    if tab not in tabs:  # (the value shortened: a link's text is quoted back, never more than a few words)
        return None, {}, [f"this link's tab {inputs.shown(tab)} is not one of {', '.join(tabs)}"]
    values, problems = {}, []
    for key, read in tabs[tab].items():
        if key in params:
            try:
                values[key] = read(params[key])
            except ValueError as error:
                problems.append(f"this link's {key}: {error}")
    return tab, values, problems


def query(tab: str, values: Mapping[str, object]) -> str:
    """The query part of a link (what :func:`link_script` writes in the browser), for tests and tools."""
    from urllib.parse import urlencode

    return "?" + urlencode({"tab": tab, **{k: v for k, v in values.items() if v not in (None, "")}})


def link_script(tab: str, keys: Sequence[str]) -> str:
    """A Gradio ``js`` event handler taking the given inputs' values and then the link box's: put the tab and
    the values into the address bar (without reloading) and return the whole link, for the link box. Until
    the page has read the link it was opened with (``linkReady``), it changes nothing."""
    return js("link", tab, list(keys))


class ViewLinks:
    """The address bar follows the open tab and its settings, and a link's values come back into them.

    Each tab ``track``s its shareable fields (key -> component and reader); a tab the server draws also gives
    how (``draw``: fn, inputs, outputs), and draws on arrival and after its link is restored. Views drawn in
    the browser redraw themselves when a restored value changes their controls."""

    def __init__(self, link: gr.Textbox):
        self.link = link
        self.tabs: dict[str, dict[str, tuple[gr.components.Component, Reader]]] = {}
        self.draws: dict[str, tuple] = {}
        self.after_load: list[tuple] = []  # (fn, inputs, outputs, js): what follows the link's restore

    def track(self, tab_id: str, tab: gr.Tab, fields: dict, draw: tuple | None = None) -> None:
        self.tabs[tab_id] = fields
        components = [component for component, _ in fields.values()]
        script = link_script(tab_id, list(fields))
        for component in components:
            component.change(None, [*components, self.link], self.link, js=script, api_visibility="private")
        if draw is not None:
            self.draws[tab_id] = draw
            fn, draw_inputs, outputs = draw
            tab.select(fn, draw_inputs, outputs, api_visibility="private", preprocess=False)  # content on arrival
        tab.select(None, [*components, self.link], self.link, js=script, api_visibility="private")

    def _draw(self, tab: str, linked: dict, values) -> list:
        """Draw ``tab`` from its inputs' current ``values``, with the link's values in place of theirs."""
        fn, draw_inputs, outputs = self.draws[tab]
        by_component = {id(self.tabs[tab][key][0]): value for key, value in linked.items()}
        result = fn(*(by_component.get(id(c), value) for c, value in zip(draw_inputs, values, strict=True)))
        return [result] if len(outputs) == 1 else list(result)

    def wire(self, demo: gr.Blocks, tabs: gr.Tabs) -> None:
        """Page load: one small request reads the link (its tab, its values, the pictures of a server-drawn
        linked tab); then the browser views draw with the values now in their controls, and the rest."""
        readers = {tab: {key: read for key, (_, read) in f.items()} for tab, f in self.tabs.items()}
        draws = list(self.draws.items())
        inputs = [c for _, (_, ins, _) in draws for c in ins]
        fields = [component for f in self.tabs.values() for component, _ in f.values()]

        def restore(request: gr.Request, *values):
            params = dict(request.query_params) if request else {}
            tab, linked, problems = read_link(params, readers) if params.get("tab") else (None, {}, [])
            for problem in problems:  # (Gradio shows a warning as HTML: a link's value must stay text)
                gr.Warning(html.escape(problem, quote=False))
            shown, start = [], 0
            for tab_id, (_, draw_inputs, outputs) in draws:
                args, start = values[start : start + len(draw_inputs)], start + len(draw_inputs)
                shown += self._draw(tab, linked, args) if tab_id == tab else [gr.skip()] * len(outputs)
            keys = [(t, key) for t, f in self.tabs.items() for key in f]
            restored = [linked.get(key, gr.skip()) if t == tab else gr.skip() for t, key in keys]
            return gr.Tabs(selected=tab) if tab else gr.skip(), *restored, *shown

        outputs = [tabs, *fields, *(c for _, (_, _, outs) in draws for c in outs)]
        event = demo.load(restore, inputs, outputs, api_visibility="private", preprocess=False)
        for fn, later_inputs, later_outputs, script in self.after_load:
            event = event.then(fn, later_inputs, later_outputs, js=script, api_visibility="private")
        # from now on the address follows
        event.then(None, None, self.link, js=js("linkReady"), api_visibility="private")
