"""Training: every recipe runs end to end on tiny data, resumes exactly after SIGKILL, and refuses to
overwrite; the classifier trains; MNIST loads from an offline folder or fails with a clear message."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

import gandemo
from gandemo.core import losses
from gandemo.core.data import DataError, load_mnist
from gandemo.core.device import bf16_autocast_supported
from gandemo.core.models import ModelConfig, build_discriminator, build_generator
from gandemo.core.objectives import OBJECTIVES
from gandemo.core.training import gan_step, recalibrate_batchnorm
from tests.conftest import ROOT, TINY_CONFIGS
from train.__main__ import list_recipes, main, parse_recipe_args
from train.loop import ema_decay_at, learning_rate_scale
from train.recipes import RECIPES, Settings

TINY = {
    "mlp": ["--latent-dim", "8", "--g-hidden", "16,16", "--d-hidden", "16,16"],
    "dcgan": ["--latent-dim", "8", "--g-hidden", "8,4", "--d-hidden", "4,8", "--g-fc", "16", "--d-fc", "16"],
}


def tiny_args(name: str, tmp_path, *extra: str) -> list[str]:
    arch = RECIPES[name].model.arch
    data = ["--fake-data", "64"] if RECIPES[name].model.data == "mnist" else []
    return [
        name,
        *TINY[arch],
        *data,
        "--batch-size",
        "16",
        "--out",
        str(tmp_path / "out" / name),
        "--run-dir",
        str(tmp_path / "runs" / name),
        "--device",
        "cpu",
        *extra,
    ]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_trains_two_steps_into_a_loadable_checkpoint(tmp_path, name):
    main(tiny_args(name, tmp_path, "--steps", "2"))
    folder = tmp_path / "out" / name
    generator = gandemo.load_generator(folder, device="cpu")
    config = gandemo.read_config(folder)
    assert config["recipe"] == name and config["training"]["steps"] == 2
    assert config["training"]["command"].startswith(f"python -m train {name}")
    assert (folder / "samples.png").is_file() and (folder / "history.json").is_file()
    assert list((folder / "timeline").glob("step_*.png"))
    labels = list(range(4)) if generator.config.num_classes else None
    assert gandemo.sample(generator, 4, seed=0, labels=labels).shape[0] == 4
    assert not (folder / "training_state.pt").exists(), "resume state stays in the run folder"


def test_init_from_starts_at_a_checkpoints_weights_and_the_warmup_trains_only_the_critic(tmp_path):
    name = "toy-wgan-gp"  # its checkpoints keep the critic, so the warm-up's effect can be read back
    main(tiny_args(name, tmp_path / "base", "--steps", "3"))
    base = tmp_path / "base" / "out" / name
    frozen = ["--init-from", str(base), "--steps", "1", "--g-lr", "0", "--ema-decay", "0", "--force"]
    main(tiny_args(name, tmp_path / "cold", *frozen))
    main(tiny_args(name, tmp_path / "warm", *frozen, "--critic-warmup", "20"))
    base_g, base_d = load_file(base / "model.safetensors"), load_file(base / "discriminator.safetensors")
    for run in ("cold", "warm"):
        folder = tmp_path / run / "out" / name
        loaded = load_file(folder / "model.safetensors")
        assert all(torch.equal(loaded[k], base_g[k]) for k in base_g)  # rate 0: the loaded weights stay
        assert gandemo.read_config(folder)["training"]["init_from"]["folder"] == str(base)
    cold_d = load_file(tmp_path / "cold" / "out" / name / "discriminator.safetensors")
    warm_d = load_file(tmp_path / "warm" / "out" / name / "discriminator.safetensors")
    moved = lambda d: max((d[k] - base_d[k]).abs().max().item() for k in base_d)  # noqa: E731
    # one step is 5 critic updates; the warm-up adds 20 more (Adam moves each weight about lr per update)
    assert moved(warm_d) > 3 * moved(cold_d) > 0
    card = (tmp_path / "warm" / "out" / name / "README.md").read_text()
    assert "Starts from" in card and shlex.join(["python", "-m", "train", name]) in card


def test_init_from_refuses_a_checkpoint_of_another_network(tmp_path):
    main(tiny_args("gan", tmp_path / "base", "--steps", "1"))
    wider = [a if a != "16,16" else "32,32" for a in tiny_args("gan", tmp_path / "other", "--steps", "1")]
    with pytest.raises(SystemExit, match="network differs"):
        main([*wider, "--init-from", str(tmp_path / "base" / "out" / "gan")])


def test_a_finished_checkpoint_is_not_overwritten_without_force(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "1"))
    with pytest.raises(SystemExit, match="pass --out DIR to train into a new folder, or --force to train from scratch"):
        main(tiny_args("gan", tmp_path, "--steps", "1"))
    main(tiny_args("gan", tmp_path, "--steps", "1", "--force"))


@pytest.mark.parametrize("objective", ["lsgan", "hinge"])
def test_the_toy_trains_with_any_objective_of_the_table_from_the_command_line(tmp_path, objective):
    main(tiny_args("toy-gan", tmp_path, "--steps", "2", "--objective", objective))
    config = gandemo.read_config(tmp_path / "out" / "toy-gan")
    assert config["training"]["objective"] == objective
    with pytest.raises(SystemExit, match="unknown objective 'vanilla'"):
        main(tiny_args("toy-gan", tmp_path / "x", "--steps", "2", "--objective", "vanilla"))


def test_list_shows_every_recipe_with_defaults(capsys):
    main(["--list"])
    out = capsys.readouterr().out
    assert out == list_recipes() + "\n"
    for name in RECIPES:
        assert name in out
    assert "gp_weight=0.1" in out and "critic_steps=5" in out


def test_flags_override_hyperparameters(tmp_path):
    main(tiny_args("toy-wgan-gp", tmp_path, "--steps", "3", "--gp-weight", "0.5", "--critic-steps", "2"))
    training = gandemo.read_config(tmp_path / "out" / "toy-wgan-gp")["training"]
    assert training["gp_weight"] == 0.5 and training["critic_steps"] == 2 and training["steps"] == 3
    # and they took effect: two critic updates per generator update, as the optimizers counted them
    state = torch.load(tmp_path / "runs" / "toy-wgan-gp" / "training_state.pt", weights_only=True)
    assert state["opt_d"]["state"][0]["step"] == 6 and state["opt_g"]["state"][0]["step"] == 3


def test_top_k_trains_the_generator_on_the_fakes_the_discriminator_rates_best(monkeypatch):
    config = TINY_CONFIGS["gan"]
    generator, discriminator = build_generator(config), build_discriminator(config)
    scores, loss_inputs = [], []
    discriminator.register_forward_hook(lambda module, args, out: scores.append(out.detach().flatten()))
    real_loss = losses.gan_generator_loss
    recording = dataclasses.replace(
        OBJECTIVES["gan"], generator_loss=lambda s: loss_inputs.append(s.detach()) or real_loss(s)
    )
    monkeypatch.setitem(OBJECTIVES, "gan", recording)
    opt_g, opt_d = (torch.optim.Adam(m.parameters()) for m in (generator, discriminator))
    real = torch.rand(32, 1, 28, 28) * 2 - 1
    for top_k in (1.0, 0.25):
        gan_step(generator, discriminator, opt_g, opt_d, lambda c: (real, None), top_k=top_k, rng=torch.Generator())
        used = loss_inputs[-1].flatten().sort(descending=True).values
        assert torch.equal(used, scores[-1].topk(round(32 * top_k)).values)  # the generator step's own scores
    assert len(used) == 8


def test_top_k_is_a_share_of_the_batch(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "2", "--top-k", "0.5", "--top-k-start", "1"))
    assert gandemo.read_config(tmp_path / "out" / "gan")["training"]["top_k"] == 0.5
    with pytest.raises(SystemExit, match="0 < top_k <= 1"):
        parse_recipe_args("gan", ["--top-k", "2"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [(["--d-dropout", "1"], r"d_dropout must be in \[0, 1\)"), (["--g-hidden", "8"], "two g_hidden channel counts")],
)
def test_a_network_flag_no_model_can_take_is_refused_in_one_line(flags, message):
    with pytest.raises(SystemExit, match=f"^dcgan: .*{message}"):
        parse_recipe_args("dcgan", flags)


def test_flags_override_the_model_shape(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "1", "--g-batchnorm", "true", "--d-dropout", "0.2", "--d-pack", "2"))
    model = gandemo.read_config(tmp_path / "out" / "gan")["model"]
    assert model["g_batchnorm"] is True and model["d_dropout"] == 0.2 and model["d_pack"] == 2
    generator = gandemo.load_generator(tmp_path / "out" / "gan", device="cpu")
    assert any(isinstance(m, torch.nn.BatchNorm1d) for m in generator.modules())


def test_flags_add_the_dcgan_fully_connected_layers(tmp_path):
    main(tiny_args("dcgan", tmp_path, "--steps", "1", "--g-fc", "12", "--d-fc", "10"))
    model = gandemo.read_config(tmp_path / "out" / "dcgan")["model"]
    assert model["g_fc"] == 12 and model["d_fc"] == 10
    generator = gandemo.load_generator(tmp_path / "out" / "dcgan", device="cpu")  # strict load of the new layout
    assert generator.project[0].out_features == 12


def test_amp_on_cpu_trains_in_bf16_where_native_and_says_so_where_not(tmp_path, capsys):
    main(tiny_args("dcgan", tmp_path, "--steps", "2", "--amp", "true"))
    assert gandemo.read_config(tmp_path / "out" / "dcgan")["training"]["amp"] is True
    out = capsys.readouterr().out
    native = bf16_autocast_supported(torch.device("cpu"))
    assert ("no native bfloat16" in out) is not native


def test_resume_can_turn_on_the_weight_average(tmp_path):
    main(tiny_args("toy-wgan-gp", tmp_path, "--steps", "2"))  # the recipe trains without EMA
    main(tiny_args("toy-wgan-gp", tmp_path, "--steps", "4", "--ema-decay", "0.5", "--resume"))
    config = gandemo.read_config(tmp_path / "out" / "toy-wgan-gp")
    assert config["training"]["steps"] == 4 and config["training"]["ema_decay"] == 0.5
    # the average really is one: it differs from the live weights, and it is what the checkpoint ships
    state = torch.load(tmp_path / "runs" / "toy-wgan-gp" / "training_state.pt", weights_only=True)
    shipped = load_file(tmp_path / "out" / "toy-wgan-gp" / "model.safetensors")
    assert any(not torch.equal(state["ema"][k], state["generator"][k]) for k in shipped)
    assert all(torch.equal(shipped[k], state["ema"][k]) for k in shipped)


def test_resume_takes_new_learning_rates_and_betas_from_the_flags(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "2"))
    main(tiny_args("gan", tmp_path, "--steps", "4", "--g-lr", "1e-3", "--beta2", "0.9", "--resume"))
    state = torch.load(tmp_path / "runs" / "gan" / "training_state.pt", weights_only=True)
    assert state["opt_g"]["param_groups"][0]["lr"] == 1e-3
    assert state["opt_d"]["param_groups"][0]["lr"] == RECIPES["gan"].settings.d_lr
    assert state["opt_g"]["param_groups"][0]["betas"] == (0.5, 0.9) == state["opt_d"]["param_groups"][0]["betas"]


def test_the_learning_rate_holds_until_the_decay_start_then_falls_linearly_to_zero():
    s = dataclasses.replace(RECIPES["gan"].settings, steps=100, lr_decay=True, lr_decay_start=60)
    assert [learning_rate_scale(step, s) for step in (0, 59, 60, 80, 99)] == [1.0, 1.0, 1.0, 0.5, 1 - 39 / 40]
    assert learning_rate_scale(50, dataclasses.replace(s, lr_decay_start=0)) == 0.5
    assert learning_rate_scale(99, dataclasses.replace(s, lr_decay=False)) == 1.0


def test_the_average_warms_up_from_scratch_but_continues_from_a_trained_generator():
    s = dataclasses.replace(RECIPES["wgan-gp"].settings, ema_decay=0.9999)
    assert ema_decay_at(0, s) == 0.1  # a fresh run's random weights wash out at once
    assert ema_decay_at(0, s, age=4000) == 4001 / 4010  # a fine-tune keeps averaging its trained start
    assert ema_decay_at(10**6, s) == ema_decay_at(10**6, s, age=4000) == 0.9999


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_shipped_cards_command_gives_the_settings_and_network_it_was_trained_with(name):
    folder = ROOT / "checkpoints" / name
    if not (folder / "config.json").is_file():
        pytest.skip(f"no shipped checkpoint for {name}")
    config = gandemo.read_config(folder)
    # one command, or phases joined by && where each later phase resumes the run with new settings
    first, *later = [shlex.split(phase) for phase in config["training"]["command"].split("&&")]
    for argv in (first, *later):
        assert argv[:4] == ["python", "-m", "train", name]
    assert "--resume" not in first, "the card's command must run from a fresh checkout"
    assert all("--resume" in argv for argv in later), "a later phase continues the first one's run"
    _, model, settings = parse_recipe_args(name, first[4:])
    for argv in later:  # each phase changes the settings it names and keeps the rest
        _, model, settings = parse_recipe_args(name, argv[4:], base=(model, settings))
    assert model == ModelConfig.from_dict(config["model"])
    trained = {**dataclasses.asdict(Settings()), **config["training"]}  # older cards lack newer settings
    for key, value in dataclasses.asdict(settings).items():
        assert trained[key] == (list(value) if isinstance(value, tuple) else value), key


def _run(args, **kwargs):
    env = {**os.environ, "TQDM_DISABLE": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "train", *args], cwd=ROOT, env=env, **kwargs)


# cgan: BatchNorm in the generator, dropout in the discriminator (global RNG), EMA, labels
INTERRUPTED_STEPS = ["--steps", "1500", "--checkpoint-every", "100"]


@pytest.fixture(scope="module")
def uninterrupted_cgan(tmp_path_factory) -> dict[str, torch.Tensor]:
    folder = tmp_path_factory.mktemp("straight")
    assert _run(tiny_args("cgan", folder, *INTERRUPTED_STEPS)).wait() == 0
    return load_file(folder / "out" / "cgan" / "model.safetensors")


def _interrupt_and_resume(folder, sig: signal.Signals, *, after_file: str) -> tuple[int, dict[str, torch.Tensor]]:
    """Start the tiny cgan run, send ``sig`` once ``after_file`` (under the run's folder) exists, resume it;
    returns the interrupted run's exit code and the resumed run's weights."""
    args = tiny_args("cgan", folder, *INTERRUPTED_STEPS)
    process = _run(args)
    deadline = time.time() + 120
    while not (folder / after_file).exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted; give it more steps"
    process.send_signal(sig)
    code = process.wait()
    saved_step = torch.load(folder / "runs" / "cgan" / "training_state.pt", weights_only=True)["step"]
    assert 0 < saved_step < 1500
    assert _run([*args, "--resume"]).wait() == 0
    assert gandemo.read_config(folder / "out" / "cgan")["training"]["steps"] == 1500
    return code, load_file(folder / "out" / "cgan" / "model.safetensors")


def _assert_same_weights(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_same_weights_as_an_uninterrupted_run(tmp_path, uninterrupted_cgan):
    _, resumed = _interrupt_and_resume(tmp_path, signal.SIGKILL, after_file="runs/cgan/training_state.pt")
    _assert_same_weights(resumed, uninterrupted_cgan)


@pytest.mark.slow
def test_ctrl_c_stops_between_steps_so_the_resumed_run_matches_an_uninterrupted_one(tmp_path, uninterrupted_cgan):
    # interrupted after the first timeline grid (step 62) and before any periodic state, so what is resumed
    # is the state written on Ctrl-C; stopping inside a step would save half an update and change the weights
    code, resumed = _interrupt_and_resume(tmp_path, signal.SIGINT, after_file="out/cgan/timeline/step_000062.png")
    assert code == 130
    _assert_same_weights(resumed, uninterrupted_cgan)


def test_resume_keeps_the_runs_settings_and_the_card_gives_each_phase(tmp_path, capsys):
    main(tiny_args("gan", tmp_path, "--steps", "2", "--g-lr", "1e-3"))
    bare = ["--fake-data", "64", "--out", str(tmp_path / "out" / "gan"), "--run-dir", str(tmp_path / "runs" / "gan")]
    main(["gan", *bare, "--device", "cpu", "--resume", "--steps", "4"])  # no network, batch or rate flags
    assert "resuming with new settings: steps 2 -> 4" in capsys.readouterr().out
    config = gandemo.read_config(tmp_path / "out" / "gan")
    assert (config["training"]["steps"], config["training"]["batch_size"], config["training"]["g_lr"]) == (4, 16, 1e-3)
    assert config["model"]["g_hidden"] == [16, 16]  # the tiny network, not the recipe's
    first, then = config["training"]["command"].split(" && ")
    assert "--resume" not in first and then.endswith("--resume --steps 4")
    main(["gan", *bare, "--device", "cpu", "--resume"])  # nothing new: no new phase
    assert gandemo.read_config(tmp_path / "out" / "gan")["training"]["command"].count("&&") == 1


def test_resume_refuses_another_network(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "2"))
    with pytest.raises(SystemExit, match="network flags differ"):
        main(tiny_args("gan", tmp_path, "--steps", "4", "--latent-dim", "3", "--resume"))


def test_resume_without_saved_state_says_so(tmp_path):
    with pytest.raises(gandemo.CheckpointError, match="no saved state"):
        main(tiny_args("gan", tmp_path, "--steps", "2", "--resume"))


def test_classifier_trains_on_tiny_data(tmp_path):
    out = tmp_path / "classifier"
    main(["classifier", "--fake-data", "64", "--epochs", "1", "--batch-size", "32", "--out", str(out)])
    classifier = gandemo.load_classifier(out, device="cpu")
    assert classifier(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    card_metrics = gandemo.read_config(out)["metrics"]
    assert 0 <= card_metrics["test_accuracy"] <= 1 and 1 <= card_metrics["test_inception_score"] <= 10


def test_mnist_loads_from_a_flat_folder_and_from_torchvisions_layout(mnist_dir, tmp_path):
    images, labels = load_mnist(mnist_dir, split="test", download=False)
    assert images.shape == (10_000, 1, 28, 28) and images.dtype == torch.uint8
    assert torch.bincount(labels).tolist()[:3] == [980, 1135, 1032]
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for gz in mnist_dir.glob("*.gz"):
        shutil.copy(gz, raw / gz.name)
    assert torch.equal(load_mnist(tmp_path, split="test", download=False)[0], images)


def test_missing_mnist_gives_instructions(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="four original IDX"):
        load_mnist(tmp_path, download=False)

    class NoNetwork:
        def __init__(self, *args, **kwargs):
            raise OSError("network is unreachable")

    import torchvision.datasets

    monkeypatch.setattr(torchvision.datasets, "MNIST", NoNetwork)
    with pytest.raises(DataError, match="--data-dir"):
        load_mnist(tmp_path, download=True)


def test_truncated_mnist_file_is_reported(mnist_dir, tmp_path):
    import gzip

    for gz in mnist_dir.glob("*.gz"):
        shutil.copy(gz, tmp_path / gz.name)
    raw = gzip.decompress((tmp_path / "t10k-labels-idx1-ubyte.gz").read_bytes())
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(raw[:-10]))
    with pytest.raises(DataError, match="truncated"):
        load_mnist(tmp_path, split="test", download=False)


@pytest.mark.parametrize("name", ["cgan", "dcgan"])
def test_batchnorm_recalibration_gives_the_statistics_of_the_generators_own_activations(name):
    generator = build_generator(TINY_CONFIGS[name]).eval()
    norm = next(m for m in generator.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm))
    seen = []
    handle = norm.register_forward_pre_hook(lambda module, args: seen.append(args[0].detach().clone()))
    recalibrate_batchnorm(generator, batches=3, batch_size=32, seed=5)
    handle.remove()
    inputs = torch.cat(seen).transpose(0, 1).flatten(1)  # (features, every value the layer saw)
    torch.testing.assert_close(norm.running_mean, inputs.mean(1))
    assert norm.momentum == 0.1 and not generator.training and int(norm.num_batches_tracked) == 3


def test_the_weight_average_warms_up_so_the_initial_weights_wash_out(tmp_path):
    main(tiny_args("gan", tmp_path, "--steps", "1", "--ema-decay", "0.9999"))
    shipped = gandemo.load_generator(tmp_path / "out" / "gan", device="cpu")
    torch.manual_seed(0)  # the loop seeds, then builds the generator first: its initial weights
    initial = dict(build_generator(shipped.config).named_parameters())
    live = torch.load(tmp_path / "runs" / "gan" / "training_state.pt", weights_only=True)["generator"]
    for name, value in shipped.named_parameters():  # step 0 averages with weight 1/10, not 1 - 0.9999
        torch.testing.assert_close(value, 0.1 * initial[name] + 0.9 * live[name])


def _copy_mnist(mnist_dir: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for gz in mnist_dir.glob("*.gz"):
        shutil.copy(gz, folder / gz.name)
    return folder


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda path: path.write_bytes(path.read_bytes()[:5000]), "is truncated: its gzip stream ends early"),
        (lambda path: path.write_bytes(b"<html>not found</html>"), "is not a readable gzip file"),
        (lambda path: shutil.copy(path.with_name("train-labels-idx1-ubyte.gz"), path), "expected Nx28x28"),
    ],
    ids=["truncated", "not-gzip", "wrong-idx"],
)
def test_a_damaged_mnist_file_ends_training_in_one_line_naming_it(mnist_dir, tmp_path, damage, message):
    data = _copy_mnist(mnist_dir, tmp_path / "mnist")
    damage(data / "train-images-idx3-ubyte.gz")
    with pytest.raises(DataError, match=message) as caught:
        load_mnist(data, download=False)
    assert "train-images-idx3-ubyte.gz" in str(caught.value)
    # the command line: one line on stderr, exit code 2, no traceback
    out = ["--out", str(tmp_path / "out"), "--run-dir", str(tmp_path / "run")]
    command = [sys.executable, "-m", "train", "gan", "--data-dir", str(data), "--steps", "1", "--device", "cpu", *out]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0
    assert "train-images-idx3-ubyte.gz" in done.stderr


def test_a_failed_download_leaves_no_empty_folders(tmp_path, monkeypatch):
    import torchvision.datasets

    class HalfDownload:
        def __init__(self, root, **kwargs):
            (Path(root) / "MNIST" / "raw").mkdir(parents=True)
            (Path(root) / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").write_bytes(b"partial")
            raise OSError("connection reset")

    monkeypatch.setattr(torchvision.datasets, "MNIST", HalfDownload)
    target = tmp_path / "cache" / "gandemo"
    with pytest.raises(DataError, match="downloading it failed"):
        load_mnist(target)
    assert not target.exists()
    existing = tmp_path / "mine"
    existing.mkdir()
    with pytest.raises(DataError):
        load_mnist(existing)
    assert existing.is_dir() and not any(existing.iterdir())  # a folder the user made stays, emptied of ours


def test_offline_without_mnist_training_ends_in_one_sentence_and_verbose_gives_the_detail(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)  # torchvision's download calls it
    empty = tmp_path / "empty"
    empty.mkdir()
    args = tiny_args("gan", tmp_path, "--steps", "1", "--data-dir", str(empty))
    del args[args.index("--fake-data") : args.index("--fake-data") + 2]  # real MNIST, which is not there
    with pytest.raises(DataError) as caught:
        main(args)
    message = str(caught.value)
    assert "\n" not in message and "urlopen" not in message and "http" not in message, message
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"):
        assert name in message
    assert str(empty) in message and "--data-dir DIR" in message and "--verbose" in message
    assert not any(empty.iterdir())
    # --verbose: the download's own errors on stderr, before the one-line error
    script = (
        "import sys, urllib.request, urllib.error\n"
        "def offline(*a, **k): raise urllib.error.URLError('name or service not known')\n"
        "urllib.request.urlopen = offline\n"
        "from gandemo.core.data import exit_on_user_error\n"
        "from train.__main__ import main\n"
        "exit_on_user_error(lambda: main(sys.argv[1:]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *args, "--verbose"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.endswith(f"error: {message}\n"), done.stderr
    assert "name or service not known" in done.stderr.removesuffix(message)


def test_help_gives_this_recipes_defaults_and_a_flag_for_every_network_field(capsys):
    with pytest.raises(SystemExit):
        main(["cgan", "--help"])
    text = capsys.readouterr().out
    assert re.search(r"--steps STEPS\s+default: 25000", text)  # the cgan recipe's, not Settings' 10000
    assert re.search(r"--g-hidden G_HIDDEN\s+.*default: 128,256,512,1024", text, re.DOTALL)
    network = {f.name for f in dataclasses.fields(ModelConfig)} - {"arch", "data", "num_classes"}
    assert all(f"--{name.replace('_', '-')} " in text for name in network)


def test_a_time_budget_trains_until_the_time_is_up_with_the_schedule_fitted_to_it(tmp_path, capsys):
    main(tiny_args("toy-gan", tmp_path, "--minutes", "0.05"))  # 3 seconds
    assert "toy-gan's fast schedule" in capsys.readouterr().out
    training = gandemo.read_config(tmp_path / "out" / "toy-gan")["training"]
    assert training["minutes"] == 0.05 and training["steps"] > 30  # as many steps as fitted the time
    assert 3 <= training["wall_time_s"] < 6 and training["hardware"]
    card = (tmp_path / "out" / "toy-gan" / "README.md").read_text()
    assert "- time budget: 0.05 minutes" in card and "--minutes 0.05" in card
    history = json.loads((tmp_path / "out" / "toy-gan" / "history.json").read_text())
    assert history["step"][-1] <= training["steps"]
    state = torch.load(tmp_path / "runs" / "toy-gan" / "training_state.pt", weights_only=False)
    final_rate = state["opt_g"]["param_groups"][0]["lr"]
    assert final_rate < 0.1 * RECIPES["toy-gan"].settings.g_lr  # the decay ends when the time does


def test_a_budget_fits_the_steps_to_the_measured_rate_and_keeps_the_schedules_shares():
    from train.loop import Budget

    s = dataclasses.replace(RECIPES["wgan-gp"].settings, minutes=10, steps=100, lr_decay_start=50, top_k_start=40)
    budget = Budget(s)
    assert budget.start(s).lr_decay_start > 10**9  # nothing decays before the first measurement
    fitted = budget.fit(s, done=100, spent=60.0, rate=2.0)  # 540 s left at 2 steps/s
    assert (fitted.steps, fitted.lr_decay_start, fitted.top_k_start) == (1180, 590, 472)
    assert budget.fit(s, done=100, spent=700.0, rate=2.0).steps == 101  # out of time: the next step is the last


def test_minutes_and_epochs_are_not_given_together(tmp_path):
    with pytest.raises(SystemExit, match="give one"):
        main(tiny_args("gan", tmp_path, "--minutes", "1", "--epochs", "1"))
    with pytest.raises(SystemExit, match="must be positive"):
        main(tiny_args("gan", tmp_path, "--minutes", "-1"))
