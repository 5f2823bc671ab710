"""Running the browser runtime's modules (``gandemo/web/runtime``) in Node.js, for tests that hold them to
Python: the same V8 as Chromium, without a page."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def run_module(module: str, name: str, code: str, *, stdin: str | None = None, timeout: float = 120):
    """Run ``code`` with ``web/runtime/<module>.js`` imported as ``name``; return what it printed, as JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (the browser tests use the same modules in Chromium)")
    path = (ROOT / "gandemo" / "web" / "runtime" / f"{module}.js").as_uri()
    script = f"import * as {name} from {json.dumps(path)};\n{code}"
    done = subprocess.run(
        [node, "--input-type=module", "-e", script], input=stdin, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
