"""Running the browser runtime's modules (``gandemo/web/runtime``) in Node.js, for tests that hold them to
Python: the same V8 as Chromium, without a page."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from gandemo.ui.browser import VENDOR
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


def wasm_prelude() -> str:
    """JavaScript that loads the vendored TensorFlow.js (tf-core and the wasm backend, as the page's scripts) into
    ``globalThis.tf`` in Node.js and starts the wasm backend: the same kernels the browser runs."""
    return f"""
import {{ createRequire }} from "node:module";
import {{ readFileSync }} from "node:fs";
import vm from "node:vm";
const vendor = {json.dumps(str(VENDOR) + "/")};
// the scripts' global (non-module) build asks for Node's modules and its folder as globals
globalThis.require = createRequire(import.meta.url);
globalThis.__dirname = vendor;
for (const [name, module] of [["fs", "fs"], ["path", "path"], ["perf_hooks", "perf_hooks"], ["require$$4", "os"]])
  globalThis[name] = globalThis.require(module);
for (const file of ["tf-core.min.js", "tf-backend-wasm.min.js"])
  vm.runInThisContext(readFileSync(vendor + file, "utf8"), {{ filename: file }});
globalThis.tf.wasm.setWasmPaths(vendor);
if (!(await globalThis.tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
"""
