"""Command line: ``python -m train <recipe> [--flags]``, ``python -m train --list``,
``python -m train classifier`` and ``python -m train push FOLDER REPO_ID``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import sys
from pathlib import Path

from gandemo.core.checkpoints import CONFIG_NAME, atomic_write
from gandemo.core.data import add_data_arguments, exit_on_user_error
from gandemo.core.device import resolve_device
from gandemo.core.models import ModelConfig
from gandemo.core.objectives import get_objective

from .batches import make_batches
from .loop import Run, train
from .recipes import FAST_CPU, RECIPES, Settings

RECIPE_DEFINES = ("arch", "data", "num_classes")  # what makes a recipe that recipe: no flag changes them
MODEL_FLAGS = tuple(f.name for f in dataclasses.fields(ModelConfig) if f.name not in RECIPE_DEFINES)
MODEL_HELP = {  # a few words on the network flags whose names do not say it all
    "g_hidden": "comma-separated widths (mlp) or 7x7,14x14 channels (dcgan), e.g. 256,256",
    "d_hidden": "comma-separated widths or channels",
    "g_batchnorm": "BatchNorm in the generator's hidden layers (mlp)",
    "d_norm": "batch or none: BatchNorm in the dcgan discriminator",
    "d_dropout": "dropout after each hidden discriminator layer",
    "g_fc": "dcgan: a fully connected generator layer this wide (0: none)",
    "d_fc": "dcgan: a fully connected discriminator layer this wide (0: none)",
    "d_pack": "PacGAN: the discriminator judges packs of N samples (mlp)",
    "activation": "leaky_relu or relu",
    "embed_dim": "label embedding size (conditional models)",
}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _widths(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(","))


def _bool(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _parse_as(value):
    """The argparse type for a flag whose default is ``value``."""
    if isinstance(value, bool):
        return _bool
    if isinstance(value, tuple):
        return _widths
    return type(value)


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def list_recipes() -> str:
    lines = []
    for recipe in RECIPES.values():
        m, s = recipe.model, recipe.settings
        lines.append(f"{recipe.name:12s} {recipe.description}")
        lines.append(
            f"{'':12s} arch={m.arch} data={m.data} latent_dim={m.latent_dim} g_hidden={list(m.g_hidden)} "
            f"d_hidden={list(m.d_hidden)} objective={s.objective} steps={s.steps} batch_size={s.batch_size} "
            f"g_lr={s.g_lr} d_lr={s.d_lr} betas=({s.beta1}, {s.beta2}) critic_steps={s.critic_steps}"
            + (f" gp_weight={s.gp_weight}" if get_objective(s.objective).gradient_penalty else "")
            + f" ema_decay={s.ema_decay} lr_decay={s.lr_decay}"
            + (f" lr_decay_start={s.lr_decay_start}" if s.lr_decay and s.lr_decay_start else "")
            + (f" top_k={s.top_k} top_k_start={s.top_k_start}" if s.top_k < 1 else "")
        )
    lines.append(f"{'classifier':12s} The MNIST classifier behind the metrics (python -m train classifier).")
    return "\n".join(lines)


def build_parser(recipe_name: str) -> argparse.ArgumentParser:
    recipe = RECIPES[recipe_name]
    parser = argparse.ArgumentParser(prog=f"python -m train {recipe_name}", description=recipe.description)
    training = parser.add_argument_group("training settings (default: this recipe's)")
    for f in dataclasses.fields(Settings):
        value = getattr(recipe.settings, f.name)
        training.add_argument(_flag(f.name), type=_parse_as(value), default=None, help=f"default: {_shown(value)}")
    network = parser.add_argument_group("network (default: this recipe's)")
    for name in MODEL_FLAGS:
        value = getattr(recipe.model, name)
        hint = MODEL_HELP.get(name, "")
        network.add_argument(
            _flag(name),
            type=_parse_as(value),
            default=None,
            help=f"{hint}{'; ' if hint else ''}default: {_shown(value)}",
        )
    parser.add_argument("--epochs", type=float, help="MNIST: train for this many passes (sets --steps)")
    parser.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU), cpu, cuda or mps")
    parser.add_argument("--out", type=Path, help="checkpoint folder (default: checkpoints/<recipe>)")
    parser.add_argument("--run-dir", type=Path, help="resumable state (default: runs/<recipe>)")
    add_data_arguments(parser)
    parser.add_argument(
        "--init-from", type=Path, metavar="FOLDER", help="start from this checkpoint's generator (fine-tuning)"
    )
    parser.add_argument("--resume", action="store_true", help="continue the run saved in --run-dir")
    parser.add_argument("--force", action="store_true", help="train from scratch over a finished checkpoint in --out")
    parser.add_argument("--push-to-hub", metavar="REPO_ID", help="upload the checkpoint folder when done")
    parser.add_argument("--fake-data", type=int, default=0, metavar="N", help="N random images (dry runs, tests)")
    parser.add_argument("--limit-data", type=int, default=0, metavar="N", help="use the first N MNIST images")
    return parser


def parse_recipe_args(
    name: str, argv: list[str], *, base: tuple[ModelConfig, Settings] | None = None
) -> tuple[argparse.Namespace, ModelConfig, Settings]:
    """The recipe's model and settings (or ``base``'s: a resumed run's) with the command line's overrides."""
    recipe = RECIPES[name]
    base_model, base_settings = base or (recipe.model, recipe.settings)
    args = build_parser(name).parse_args(argv)
    overrides = {
        f.name: getattr(args, f.name) for f in dataclasses.fields(Settings) if getattr(args, f.name) is not None
    }
    settings = dataclasses.replace(base_settings, **overrides)
    try:
        get_objective(settings.objective)
    except ValueError as error:
        raise SystemExit(f"--objective: {error}") from None
    if not 0 < settings.top_k <= 1:
        raise SystemExit(f"--top-k is a share of the batch: expected 0 < top_k <= 1, got {settings.top_k}")
    model = dataclasses.replace(
        base_model, **{k: getattr(args, k) for k in MODEL_FLAGS if getattr(args, k) is not None}
    )
    try:
        model.validate()
    except ValueError as error:  # a flag combination no network can be built from: say so, without a traceback
        raise SystemExit(f"{name}: {error}") from None
    return args, model, settings


RECORD_NAME = "run.json"  # beside the resumable state: the run's network, settings and commands


def _read_record(run_dir: Path) -> dict | None:
    path = run_dir / RECORD_NAME
    return json.loads(path.read_text()) if path.is_file() else None


def _resumed_settings(name: str, argv: list[str], record: dict) -> tuple[argparse.Namespace, ModelConfig, Settings]:
    """A resumed run keeps the network and settings it was started with; the flags given now change them."""
    if record["recipe"] != name:
        raise SystemExit(f"--resume: the saved run is a {record['recipe']} run, not {name}")
    saved_model = ModelConfig.from_dict(record["model"])
    known = {f.name for f in dataclasses.fields(Settings)}
    saved = Settings(**{k: v for k, v in record["settings"].items() if k in known})
    args, model, settings = parse_recipe_args(name, argv, base=(saved_model, saved))
    if model != saved_model:
        raise SystemExit(f"--resume: the network flags differ from the saved run's: {model} vs {saved_model}")
    return args, model, settings


def run_recipe(name: str, argv: list[str]) -> Path:
    recipe = RECIPES[name]
    args = build_parser(name).parse_args(argv)
    run_dir = args.run_dir or Path("runs") / name
    record = _read_record(run_dir) if args.resume else None
    if record:
        args, model, settings = _resumed_settings(name, argv, record)
    else:
        if args.resume:
            print(f"--resume: {run_dir / RECORD_NAME} is missing, so the recipe's defaults and these flags apply")
        args, model, settings = parse_recipe_args(name, argv)
    out_dir = args.out or Path("checkpoints") / name
    if (out_dir / CONFIG_NAME).exists() and not (args.force or args.resume):
        raise SystemExit(
            f"{out_dir} already holds a finished checkpoint: pass --out DIR to train into a new folder, "
            "or --force to train from scratch and overwrite it"
        )
    device = resolve_device(args.device)
    batches = make_batches(
        model, device, seed=settings.seed, data_dir=args.data_dir, fake_data=args.fake_data, limit=args.limit_data
    )
    if settings.minutes < 0:
        raise SystemExit(f"--minutes must be positive (a wall-clock budget), got {settings.minutes}")
    if settings.minutes and device.type == "cpu" and not record:
        fast = {k: v for k, v in FAST_CPU.get(name, {}).items() if getattr(args, k) is None}  # flags win
        settings = dataclasses.replace(settings, **fast)
        shown = ", ".join(f"{k}={v}" for k, v in fast.items() if k != "steps")
        print(f"--minutes {settings.minutes:g} on a CPU: {name}'s fast schedule ({shown or 'the recipe settings'})")
    if args.epochs is not None:
        if settings.minutes:
            raise SystemExit("--epochs and --minutes both set the run's length: give one")
        if model.data != "mnist":
            raise SystemExit("--epochs applies to MNIST recipes; use --steps for the 2-D toy")
        per_epoch = len(batches.images) // (settings.batch_size * settings.critic_steps)
        settings = dataclasses.replace(settings, steps=max(1, round(args.epochs * per_epoch)))
    commands = ["python -m train " + shlex.join([name, *argv])]
    if record:
        changed = [
            f"{key} {record['settings'].get(key)} -> {value}"
            for key, value in dataclasses.asdict(settings).items()
            if record["settings"].get(key) != value
        ]
        if changed:  # a new phase of the run, so the card gives every phase's command
            print("resuming with new settings: " + ", ".join(changed))
        commands = [*record["commands"], *commands] if changed else record["commands"]
    facts = {"recipe": name, "model": model.to_dict(), "settings": dataclasses.asdict(settings), "commands": commands}
    atomic_write(run_dir / RECORD_NAME, json.dumps(facts, indent=2) + "\n")  # creates run_dir
    run = Run(out_dir, run_dir, command=" && ".join(commands), description=recipe.description, init_from=args.init_from)
    folder = train(model, settings, run, recipe=name, device=device, batches=batches, resume=args.resume)
    print(f"checkpoint written to {folder}")
    if args.push_to_hub:
        from .hub import push

        print(push(folder, args.push_to_hub))
    return folder


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m train {--list | <recipe> [flags] | classifier [flags] | push FOLDER REPO_ID}"
    if not argv or argv[0] in ("-h", "--help"):
        print(usage + "\n\n" + list_recipes())
        return
    command, rest = argv[0], argv[1:]
    if command == "--list":
        print(list_recipes())
    elif command == "classifier":
        from .classifier import main as classifier_main

        classifier_main(rest)
    elif command == "push":
        from .hub import main as push_main

        push_main(rest)
    elif command in RECIPES:
        run_recipe(command, rest)
    else:
        raise SystemExit(f"unknown recipe {command!r}; known: {', '.join(RECIPES)}\n{usage}")


if __name__ == "__main__":
    exit_on_user_error(main)
