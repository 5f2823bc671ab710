"""``python app.py``'s command line: every variable that sets an option is in --help, and sets it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import app
from tests.conftest import ROOT

VARIABLES = ("GANDEMO_DEVICE", "GANDEMO_CHECKPOINTS", "GANDEMO_CACHE_AGE_S", "GANDEMO_DATA", "GANDEMO_HUB_REPO")


def test_help_lists_every_variable_the_code_reads():
    done = subprocess.run([sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # argparse wraps lines
    for variable in VARIABLES:
        assert variable in text
    assert "--cache-age CACHE_AGE seconds a file handed to a visitor" in text
    assert "(default: $GANDEMO_CACHE_AGE_S, else 600)" in text


def test_each_variable_sets_its_options_default_and_a_flag_wins(monkeypatch):
    values = {"GANDEMO_DEVICE": "cpu", "GANDEMO_CHECKPOINTS": "elsewhere", "GANDEMO_HUB_REPO": "user/models"}
    values |= {"GANDEMO_CACHE_AGE_S": "60", "GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"}
    for variable, value in values.items():
        monkeypatch.setenv(variable, value)
    args = app.parse_args([])
    assert (args.device, args.checkpoints, args.hub_repo) == ("cpu", "elsewhere", "user/models")
    assert (args.cache_age, args.host, args.port) == (60, "0.0.0.0", 7861)
    assert app.parse_args(["--port", "8000"]).port == 8000


def test_a_variable_that_is_not_a_number_is_refused_naming_its_option(monkeypatch, capsys):
    monkeypatch.setenv("GANDEMO_CACHE_AGE_S", "ten minutes")
    with pytest.raises(SystemExit):
        app.parse_args([])
    assert "argument --cache-age: invalid int value: 'ten minutes'" in capsys.readouterr().err
