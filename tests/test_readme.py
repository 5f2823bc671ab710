"""The README's library snippet runs as written (against a tiny checkpoint), so it cannot rot."""

import re

import torch

from tests.conftest import ROOT, make_checkpoint


def test_readme_snippet_runs(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(import gandemo\n.*?)```", text, re.S).group(1)
    make_checkpoint(tmp_path / "checkpoints" / "dcgan", "dcgan")
    make_checkpoint(tmp_path / "checkpoints" / "cgan", "cgan")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    assert namespace["x"].shape == (16, 1, 28, 28)
    assert namespace["digits"].shape == (10, 1, 28, 28)
    assert namespace["img"].size == (8 * 30 + 2, 8 * 30 + 2)
    assert torch.all(namespace["x"].abs() <= 1)


def test_readme_gives_the_app_and_test_commands_and_ci_runs_the_test_command():
    text = (ROOT / "README.md").read_text()
    assert "python app.py" in text
    test_command = re.search(r"^(python -m pytest.*)$", text, re.M).group(1)
    assert test_command in (ROOT / ".ci" / "run").read_text()
