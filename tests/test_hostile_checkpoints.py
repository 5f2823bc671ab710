"""Hand-made checkpoint folders: a config that asks for a huge network, weights of the wrong kind, a config
nested 100,000 deep, a Playground save with points past the plot. Each is one CheckpointError naming the file
(before anything large is allocated), and in a folder of models it is one folder left out: the app and the
static build serve the rest."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

import gandemo
import gandemo.core.checkpoints
from gandemo import static
from gandemo.core.checkpoints import WEIGHTS_NAME, CheckpointError
from gandemo.service.showroom import Showroom
from tests.conftest import ROOT, make_checkpoint


def _edit_config(folder: Path, **model) -> Path:
    config = json.loads((folder / "config.json").read_text())
    config["model"].update(model)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def _recast(folder: Path, dtype: torch.dtype | None = None, *, nan: bool = False) -> Path:
    """Rewrite the folder's weights in another dtype, or with a NaN in each float tensor."""
    path = folder / WEIGHTS_NAME
    state = gandemo.core.checkpoints.load_safetensors(path.read_bytes())
    if nan:
        state = {k: v.fill_(float("nan")) if v.is_floating_point() else v for k, v in state.items()}
    if dtype is not None:
        state = {k: v.to(dtype) for k, v in state.items()}
    save_file(state, str(path))
    return folder


def _expect(folder, *words) -> str:
    with pytest.raises(CheckpointError) as caught:
        gandemo.load_generator(folder, device="cpu")
    message = str(caught.value)
    assert str(folder) in message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("latent_dim", 10**9, ["model.latent_dim must be a whole number from 1 to 4,096, got 1000000000"]),
        ("num_classes", 10**9, ["model.num_classes must be"]),
        ("g_hidden", [10**9, 16], ["model.g_hidden must hold whole numbers from 1 to 8,192"]),
        ("g_hidden", [20_000], ["model.g_hidden must hold whole numbers"]),
        ("g_hidden", [16.5, 16], ["model.g_hidden", "got 16.5"]),
        ("g_hidden", [-16, 16], ["model.g_hidden", "got -16"]),
        ("g_hidden", 16, ["model.g_hidden must be a list"]),
        ("latent_dim", "8", ["model.latent_dim must be a whole number"]),
        ("g_batchnorm", "yes", ["model.g_batchnorm must be true or false"]),
        ("g_hidden", [8192, 8192], ["does not match the network", "size mismatch for"]),
    ],
)
def test_a_config_is_checked_field_by_field_and_against_its_weights(tmp_path, field, value, words):
    folder = _edit_config(make_checkpoint(tmp_path / "gan", "gan"), **{field: value})
    message = _expect(folder / "", *words)
    assert "config.json" in message or WEIGHTS_NAME in message


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.uint8, torch.bool])
def test_weights_other_than_float32_are_refused_by_name(tmp_path, dtype):
    folder = _recast(make_checkpoint(tmp_path / "gan", "gan"), dtype)
    _expect(folder, WEIGHTS_NAME, "is stored as", "gandemo loads F32")


def test_weights_holding_nan_are_refused(tmp_path):
    _expect(_recast(make_checkpoint(tmp_path / "gan", "gan"), nan=True), WEIGHTS_NAME, "NaN or infinite")


def test_a_zip_says_to_unzip_it_and_a_config_nested_deep_is_named(tmp_path):
    folder = make_checkpoint(tmp_path / "gan", "gan")
    archive = tmp_path / "gan.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.rglob("*"):
            zipped.write(path, path.relative_to(folder))
    with pytest.raises(CheckpointError, match="is a file, not a checkpoint folder: unzip it"):
        gandemo.load_generator(archive)
    (folder / "config.json").write_text('{"model": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _expect(folder, "config.json is nested too deeply")


HUGE_CONFIGS = {  # each asks for 4 GB or more if it were built before being checked
    "latent": {"latent_dim": 10**9},
    "classes": {"num_classes": 10**9},
    "width": {"g_hidden": [10**9, 16]},
    "mismatch": {"g_hidden": [8192, 8192, 8192, 8192]},  # within the limits, 1 GB, and not the weights' network
}


def test_hostile_configs_fail_fast_under_a_memory_cap(tmp_path):
    """In a process whose address space is capped at 256 MiB above what torch itself takes (a tiny model still
    loads there), each huge config is a CheckpointError: nothing was allocated for it."""
    for name, model in HUGE_CONFIGS.items():
        _edit_config(make_checkpoint(tmp_path / name, "gan"), **model)
    make_checkpoint(tmp_path / "tiny", "gan")
    script = textwrap.dedent(
        f"""
        import resource, torch, gandemo
        from gandemo.core.checkpoints import CheckpointError
        size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + (256 << 20), resource.RLIM_INFINITY))
        for name in {list(HUGE_CONFIGS)!r} + ["tiny"]:
            try:
                gandemo.load_generator({str(tmp_path)!r} + "/" + name, device="cpu")
                print(name, "LOADED")
            except CheckpointError as error:
                print(name, "refused:", error)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [*HUGE_CONFIGS, "tiny"]
    assert all(" refused: " in line and "config.json" in line or WEIGHTS_NAME in line for line in lines[:-1]), lines
    assert lines[-1] == "tiny LOADED"


def _bad_folders(root: Path) -> dict[str, str]:
    """Good tiny models beside one folder of each kind that used to stop the app; name -> words of its error."""
    for name in ("gan", "toy-gan"):
        make_checkpoint(root / name, name)
    saved = make_checkpoint(root / "my-points", "toy-gan")
    config = json.loads((saved / "config.json").read_text())
    config["target"] = {"name": "your points", "points": [[1e308, 0.0], [0.5, 0.5]]}  # a CSV of 1e308, saved
    (saved / "config.json").write_text(json.dumps(config))
    deep = make_checkpoint(root / "deep", "gan")
    (deep / "config.json").write_text('{"model": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _edit_config(make_checkpoint(root / "float-width", "gan"), g_hidden=[16.0, 16])
    _edit_config(make_checkpoint(root / "negative-width", "gan"), g_hidden=[-16, 16])
    _edit_config(make_checkpoint(root / "huge", "gan"), latent_dim=10**9)
    _recast(make_checkpoint(root / "bool-weights", "gan"), torch.bool)
    metrics = make_checkpoint(root / "odd-metrics", "gan")
    config = json.loads((metrics / "config.json").read_text())
    config["metrics"] = {"digit_histogram": "abc", "near_duplicate_share": "x"}
    (metrics / "config.json").write_text(json.dumps(config))
    return {
        "my-points": "points[0] must be from -",
        "deep": "nested too deeply",
        "float-width": "model.g_hidden",
        "negative-width": "model.g_hidden",
        "huge": "model.latent_dim",
        "bool-weights": "is stored as BOOL",
        "odd-metrics": "cannot be read",
    }


@pytest.fixture(scope="module")
def bad_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("checkpoints")
    return root, _bad_folders(root)


def test_a_bad_folder_is_left_out_with_a_logged_sentence_and_the_rest_is_served(bad_root, caplog):
    root, expected = bad_root
    with caplog.at_level(logging.WARNING, logger="gandemo.service.showroom"):
        showroom = Showroom(root, device="cpu")
    assert sorted(showroom.names()) == ["gan", "toy-gan"]
    for name, words in expected.items():
        assert words in showroom.errors[name], (name, showroom.errors[name])
        assert any(name in record.getMessage() and words in record.getMessage() for record in caplog.records), name
    showroom.generate("gan", 3, 2, 2)


def test_the_app_and_the_static_build_start_over_bad_folders(bad_root, tmp_path):
    from gradio_client import Client

    from app import build_demo, serve

    root, expected = bad_root
    site = static.build(tmp_path / "site", root)
    written = json.loads((site / "site.json").read_text()) if (site / "site.json").is_file() else None
    page = (site / "index.html").read_text()
    for name in expected:
        assert f'"{name}"' not in page and (written is None or name not in written["models"]), name
    demo = build_demo(Showroom(root, device="cpu"))
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(demo.local_url, verbose=False)
        assert client.predict("gan", 1, 2, 2, "all digits", api_name="/generate")
        with pytest.raises(Exception, match="unavailable"):
            client.predict("huge", 1, 2, 2, "all digits", api_name="/generate")
    finally:
        demo.close()
