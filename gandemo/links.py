"""Links that carry a view: the page's address holds the open tab and its settings (``?tab=toy&model=
toy-gan&seed=7``), so a shared link reopens what its sender saw.

The address is written in the browser (:func:`link_script`, no request per change) and read on the server
when a page opens (:func:`read_link`), where every value is checked like any other input."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from . import inputs

Reader = Callable[[str], object]


def whole(name: str, low: int, high: int) -> Reader:
    def read(text: str) -> int:
        return inputs.whole(int(text) if text.strip().lstrip("-").isdigit() else text, name, low, high)

    return read


def seed(name: str = "seed") -> Reader:
    def read(text: str) -> int:
        return inputs.seed(int(text) if text.strip().isdigit() else text, name)

    return read


def number(name: str, low: float, high: float) -> Reader:
    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = text
        return inputs.number(value, name, low, high)

    return read


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
    if tab not in tabs:
        return None, {}, [f"this link's tab {tab!r} is not one of {', '.join(tabs)}"]
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


READY = "window.gandemoLinkReady"  # set once the page has read the link it was opened with


def link_script(tab: str, keys: Sequence[str]) -> str:
    """A Gradio ``js`` event handler taking the given inputs' values and then the link box's: put the tab and
    the values into the address bar (without reloading) and return the whole link, for the link box. Until
    the page has read the link it was opened with (:data:`READY`), it changes nothing."""
    return (
        "(...values) => { const shown = values.pop(); "
        f"if (!{READY}) return shown; "
        "const params = new URLSearchParams(); "
        f"params.set('tab', {json.dumps(tab)}); const keys = {json.dumps(list(keys))}; "
        "keys.forEach((key, i) => { const v = values[i]; "
        "if (v !== null && v !== undefined && v !== '') params.set(key, String(v)); }); "
        "const link = location.origin + location.pathname + '?' + params.toString(); "
        "history.replaceState(history.state, '', link); return link; }"
    )


def wait_for_picture(tab: str, selector: str, limit_ms: int = 3000) -> str:
    """A Gradio ``js`` step that returns once the picture at ``selector`` has loaded (at most ``limit_ms``),
    or at once when the page's link opens another tab than ``tab``."""
    return (
        "async () => { const linked = new URLSearchParams(location.search).get('tab'); "
        f"if (linked && linked !== {json.dumps(tab)}) return; const start = performance.now(); "
        f"while (performance.now() - start < {limit_ms}) {{ "
        f"const img = document.querySelector({json.dumps(selector)}); "
        "if (img && img.complete && img.naturalWidth) return; await new Promise(r => setTimeout(r, 25)); } }"
    )
