"""``pip install .`` gives a gandemo that imports from any folder, with every file of the browser runtime."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_pip_install_gives_an_importable_gandemo_with_its_web_assets(tmp_path):
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("building the wheel offline needs setuptools installed")
    listed = ["git", "ls-files", "gandemo", "train", "pyproject.toml", "requirements.txt", "LICENSE"]
    tracked = subprocess.run(listed, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    clone = tmp_path / "clone"  # what a fresh clone holds (and the build's by-products stay out of this one)
    for path in tracked:
        (clone / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, clone / path)
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--quiet"]
    done = subprocess.run([*install, "--target", str(target), str(clone)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import gandemo, gandemo.ui.browser as b, train; "
        "print(gandemo.__file__); print('\\n'.join(p.relative_to(b.WEB).as_posix() for p in b.WEB.rglob('*')))"
    )
    env = {"PYTHONPATH": str(target), "PATH": ""}
    done = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    where, *installed = done.stdout.splitlines()
    assert where == str(target / "gandemo" / "__init__.py")
    shipped = {path.removeprefix("gandemo/web/") for path in tracked if path.startswith("gandemo/web/")}
    assert shipped and shipped <= set(installed)
