"""Checkpoint folders: round trip, the Hub cache path, and a clear CheckpointError for each bad case."""

import json
import os
import shutil
import stat

import pytest
import torch

import gandemo
from gandemo.core.checkpoints import CheckpointError, atomic_write, list_checkpoints, read_config, update_config
from tests.conftest import TINY_CONFIGS, make_checkpoint


@pytest.mark.parametrize("name", sorted(TINY_CONFIGS))
def test_save_then_load_gives_identical_outputs(tmp_path, name):
    folder = make_checkpoint(tmp_path / name, name, seed=1)
    generator = gandemo.load_generator(folder, device="cpu")
    assert not generator.training
    torch.manual_seed(1)
    original = gandemo.build_generator(TINY_CONFIGS[name]).eval()
    labels = list(range(4)) if TINY_CONFIGS[name].num_classes else None
    assert torch.equal(
        gandemo.sample(generator, 4, seed=3, labels=labels), gandemo.sample(original, 4, seed=3, labels=labels)
    )


def test_folder_holds_the_hub_files_and_a_model_card(tiny_checkpoint):
    assert {p.name for p in tiny_checkpoint.iterdir()} >= {"config.json", "model.safetensors", "README.md"}
    card = (tiny_checkpoint / "README.md").read_text()
    front = card.split("---")[1]
    for key in ("library_name:", "tags:", "pipeline_tag:", "license:", "datasets:"):
        assert key in front
    config = read_config(tiny_checkpoint)
    assert config["gandemo_version"] == gandemo.__version__ and config["recipe"] == "dcgan"
    assert not list(tiny_checkpoint.glob("*.tmp")), "atomic writes leave no temporary files"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)], ids=["022", "077", "002"])
def test_written_files_get_the_usual_mode_under_the_users_umask(tmp_path, umask, mode):
    before = os.umask(umask)
    try:
        folder = make_checkpoint(tmp_path / "dcgan", "dcgan")
        atomic_write(tmp_path / "dcgan" / "config.json", "{}")  # replacing a file gives the same mode
    finally:
        os.umask(before)
    written = {"config.json", "model.safetensors", "README.md", "samples.png"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.name in written} == dict.fromkeys(
        written, mode
    )
    assert not list(folder.glob(".*.tmp"))


def test_card_gives_each_phase_of_an_extended_run_on_its_own_line(tiny_checkpoint):
    command = "python -m train dcgan --steps 10 && python -m train dcgan --resume --steps 20"
    update_config(tiny_checkpoint, training={"command": command})
    card = (tiny_checkpoint / "README.md").read_text()
    assert "```bash\npython -m train dcgan --steps 10 &&\npython -m train dcgan --resume --steps 20\n```" in card


def _expect_error(folder, *words):
    with pytest.raises(CheckpointError) as caught:
        gandemo.load_generator(folder, device="cpu")
    message = str(caught.value)
    assert str(folder) in message
    for word in words:
        assert word in message
    return message


def test_missing_folder(tmp_path):
    _expect_error(tmp_path / "nowhere", "does not exist")


def test_missing_weights(tiny_checkpoint):
    (tiny_checkpoint / "model.safetensors").unlink()
    _expect_error(tiny_checkpoint, "model.safetensors", "missing")


def test_missing_config(tiny_checkpoint):
    (tiny_checkpoint / "config.json").unlink()
    _expect_error(tiny_checkpoint, "config.json", "missing")


def test_truncated_weights(tiny_checkpoint):
    path = tiny_checkpoint / "model.safetensors"
    path.write_bytes(path.read_bytes()[:-100])
    _expect_error(tiny_checkpoint, "model.safetensors", "corrupt or truncated")


def test_garbage_weights(tiny_checkpoint):
    (tiny_checkpoint / "model.safetensors").write_bytes(b"\x80\x04not a safetensors file at all")
    _expect_error(tiny_checkpoint, "corrupt or truncated")


def test_malformed_config(tiny_checkpoint):
    (tiny_checkpoint / "config.json").write_text('{"model": {"arch": "dcgan",')
    _expect_error(tiny_checkpoint, "config.json", "not valid JSON")


def test_unknown_architecture(tiny_checkpoint):
    config = json.loads((tiny_checkpoint / "config.json").read_text())
    config["model"]["arch"] = "stylegan9"
    (tiny_checkpoint / "config.json").write_text(json.dumps(config))
    _expect_error(tiny_checkpoint, "unknown architecture", "stylegan9")


def test_shape_mismatch(tiny_checkpoint):
    config = json.loads((tiny_checkpoint / "config.json").read_text())
    config["model"]["latent_dim"] = 9
    (tiny_checkpoint / "config.json").write_text(json.dumps(config))
    _expect_error(tiny_checkpoint, "does not match", "size mismatch")


def test_list_checkpoints_reports_broken_folders_without_failing(tmp_path):
    make_checkpoint(tmp_path / "good")
    (tmp_path / "broken").mkdir()
    found = list_checkpoints(tmp_path)
    assert found["good"]["recipe"] == "dcgan"
    assert isinstance(found["broken"], CheckpointError)


def _fake_hub_cache(cache, repo_id, folder):
    """Lay a checkpoint out exactly as huggingface_hub caches a downloaded repo."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    shutil.copytree(folder, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)


def test_hub_repo_id_loads_from_the_cache_offline(tmp_path, tiny_checkpoint, monkeypatch):
    cache = tmp_path / "hub"
    _fake_hub_cache(cache, "someone/tiny-dcgan", tiny_checkpoint)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    generator = gandemo.load_generator("someone/tiny-dcgan", device="cpu")
    expected = gandemo.load_generator(tiny_checkpoint, device="cpu")
    assert torch.equal(gandemo.sample(generator, 2, seed=0), gandemo.sample(expected, 2, seed=0))
    with pytest.raises(CheckpointError, match="HF_HUB_OFFLINE"):
        gandemo.load_generator("someone/not-cached", device="cpu")


def test_a_local_folder_wins_over_the_hub(tmp_path, monkeypatch):
    make_checkpoint(tmp_path / "someone" / "tiny", "gan")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert gandemo.load_checkpoint("someone/tiny", device="cpu").config["recipe"] == "gan"


def test_the_app_can_serve_a_hub_repo_of_checkpoint_folders(tmp_path, monkeypatch):
    from gandemo.service.showroom import Showroom

    zoo = tmp_path / "zoo"
    make_checkpoint(zoo / "dcgan", "dcgan")
    make_checkpoint(zoo / "toy-gan", "toy-gan")
    cache = tmp_path / "hub"
    _fake_hub_cache(cache, "someone/gandemo-zoo", zoo)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    showroom = Showroom(device="cpu", hub_repo="someone/gandemo-zoo")
    assert showroom.names() == ["dcgan", "toy-gan"] and not showroom.errors


def test_the_model_panel_explains_the_model_and_each_score_beside_real_datas(tmp_path):
    from gandemo.service.showroom import Showroom

    folder = make_checkpoint(tmp_path / "gan", "gan")
    scores = {"inception_score": 9.243, "inception_score_real_test": 9.809, "frechet_distance": 3.79}
    update_config(folder, metrics={**scores, "frechet_distance_real_floor": 2.21, "min_digit_share": 0.0847})
    panel = Showroom(tmp_path, device="cpu").about("gan")
    assert "**Inception Score 9.24** (real test digits: 9.81): higher means" in panel
    assert "**Fréchet distance 3.79** (real training vs real test digits: 2.21): lower is better" in panel
    assert "**Rarest digit 8.5% of samples** (real test digits: 8.9%)" in panel
    assert "$$\\min_D" in panel and "arxiv.org/abs/1406.2661" in panel  # the objective as math, the paper
    assert "What to look for" in panel and "--resume" not in panel  # how it was trained is on its card


def test_every_model_explains_itself_even_one_no_recipe_describes():
    from gandemo.core.explain import EXPLANATIONS, model_markdown

    for recipe in EXPLANATIONS:
        text = model_markdown(recipe, {"recipe": recipe, "training": {"objective": "gan"}})
        assert text.count("$$") == 4 and "Follows" in text, recipe
    custom = {"recipe": "toy-hinge", "model": {"data": "8gaussians"}, "training": {"objective": "hinge"}}
    text = model_markdown("mine", custom)
    assert "hinge GAN" in text and "\\max(0, 1 - D(x))" in text and "arxiv.org/abs/1705.02894" in text


@pytest.mark.parametrize("key", ["arch", "data", "latent_dim"])
def test_a_config_missing_a_network_key_is_an_error_naming_it(tiny_checkpoint, key):
    config = json.loads((tiny_checkpoint / "config.json").read_text())
    del config["model"][key]
    (tiny_checkpoint / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match=f"lacks '{key}'"):
        gandemo.load_generator(tiny_checkpoint, device="cpu")


def test_a_folder_removed_while_serving_is_unavailable_on_every_tab_alike(tmp_path):
    from gandemo.service.showroom import Showroom

    for name in ("dcgan", "toy-gan"):
        make_checkpoint(tmp_path / name, name)
    showroom = Showroom(tmp_path, device="cpu")
    showroom.generate("dcgan", 0, 2, 2)
    showroom.toy("toy-gan", 0, 100)
    for name in ("dcgan", "toy-gan"):
        shutil.rmtree(tmp_path / name)
    calls = [
        lambda: showroom.generate("dcgan", 0, 2, 2),
        lambda: showroom.interpolate("dcgan", 0, 1, 3),
        lambda: showroom.training("dcgan"),
        lambda: showroom.toy("toy-gan", 0, 100),
        lambda: showroom.training("toy-gan"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="was removed while the app was running"):
            call()
    with pytest.raises(ValueError, match="no MNIST model"):
        showroom.compare(0)
    assert "removed while the app was running" in showroom.status()
