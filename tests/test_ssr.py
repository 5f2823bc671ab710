"""The app as a Space serves it by default: with Gradio's server-side rendering on (``GRADIO_SSR_MODE``, which
Gradio 6.31 runs with Node 24 or newer), every tab draws in a real Chromium, the Playground plays, and a
link restores its view."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import pytest

from benchmarks.server import app_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NODE_MAJOR = 24  # what Gradio 6.31's SSR server needs

# tab id in a link -> what shows that it drew
TABS = {
    "generate": "() => document.getElementById('grid')?.dataset.drawn",
    "compare": "() => document.getElementById('compare')?.dataset.drawn",
    "walk": "() => document.getElementById('strip')?.dataset.drawn",
    "toy": "() => document.getElementById('toy-plot')?.dataset.drawn",
    "training": "() => document.querySelector('#losses img')?.naturalWidth > 0",
    "playground": "() => document.getElementById('playground')?.dataset.frames",
}


def node_for_ssr() -> str | None:
    """GRADIO_NODE_PATH, else the `node` on PATH, when it is Node 24 or newer (.ci/run fetches one from npm)."""
    for candidate in (os.environ.get("GRADIO_NODE_PATH"), shutil.which("node")):
        if not candidate:
            continue
        done = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30)
        match = re.match(r"v(\d+)\.", done.stdout.strip())
        if done.returncode == 0 and match and int(match.group(1)) >= NODE_MAJOR:
            return candidate
    return None


@pytest.fixture(scope="module")
def ssr_url(tmp_path_factory):
    node = node_for_ssr()
    if node is None:
        pytest.skip(f"no Node {NODE_MAJOR}+ for Gradio's server-side rendering (set GRADIO_NODE_PATH to one)")
    log_path = tmp_path_factory.mktemp("ssr") / "server.log"
    env = {"GRADIO_SSR_MODE": "True", "GRADIO_NODE_PATH": node, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log, app_process(env=env, log=log) as (_, url):
        yield url, log_path


def test_the_server_renders_with_node(ssr_url):
    _, log_path = ssr_url
    deadline = time.monotonic() + 30  # (the server may answer a moment before it prints its address)
    while "with SSR" not in log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "with SSR" in log_path.read_text()  # Gradio's own line: the Node proxy is in front


@pytest.mark.parametrize("tab", list(TABS))
def test_every_tab_draws_with_server_side_rendering(browser, ssr_url, tab):
    url, _ = ssr_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}?tab={tab}&seed=7" if tab in ("generate", "toy") else f"{url}?tab={tab}")
    page.wait_for_function(TABS[tab], timeout=60_000)
    if tab in ("generate", "toy"):  # the link's seed reached the view
        box = "#seed input" if tab == "generate" else "#toy-seed input"
        assert page.locator(box).first.input_value() == "7"
    if tab == "playground":
        page.click("#play")
        page.wait_for_function("() => Number(document.getElementById('playground').dataset.step || 0) >= 10")
        page.click("#pause")
    assert errors == []
    page.close()
