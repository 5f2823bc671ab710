"""Checkpoint folders: ``config.json`` + ``model.safetensors`` + ``README.md`` model card + ``samples.png``.

These are the Hugging Face Hub's conventional names, so a folder uploads as it is. Loading is strict,
never unpickles, and every failure raises :class:`CheckpointError` naming the folder and the problem.
"""

from __future__ import annotations

import io
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from .. import __version__
from .device import resolve_device
from .explain import COPYING_MEANING, PAPERS, metric_words
from .models import ClassifierConfig, MNISTClassifier, ModelConfig, build_discriminator, build_generator
from .plots import PLOT_LIMIT, critic_map

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
CARD_NAME = "README.md"
SAMPLES_NAME = "samples.png"
DISCRIMINATOR_NAME = "discriminator.safetensors"  # shipped for the 2-D toys, whose app plot shows its map
CRITIC_MAP_NAME = "critic_map.safetensors"  # the 2-D toys' critic over the plot, computed once for every viewer
HISTORY_NAME = "history.json"  # the loss curves: {"step": [...], "d_loss": [...], ...}
MAX_CONFIG_BYTES = 4 << 20  # a config.json is a few KB (a Playground save with 5,000 points: about 200 KB)
MAX_HEADER_BYTES = 1 << 20  # a safetensors header: about 100 bytes a tensor (the format allows 100 MB)
TIMELINE_DIR = "timeline"  # fixed-noise sample grids saved while training, step_000100.png, ...


def file_names() -> dict[str, str]:
    """A checkpoint folder's file names by role: the browser reads and writes the folders by these (the site's
    ``files``), so no JavaScript spells one."""
    return {
        "config": CONFIG_NAME,
        "weights": WEIGHTS_NAME,
        "card": CARD_NAME,
        "samples": SAMPLES_NAME,
        "discriminator": DISCRIMINATOR_NAME,
        "critic_map": CRITIC_MAP_NAME,
        "history": HISTORY_NAME,
    }


class CheckpointError(RuntimeError):
    """A checkpoint folder is missing, incomplete, corrupt or does not match its config."""


def atomic_write(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    The file gets the mode any new file gets (0o666 less the umask: 644 under 022), not ``mkstemp``'s 600:
    the temporary file is created with ``O_EXCL`` and mode 0o666, so the system applies the umask itself.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode() if isinstance(data, str) else data
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_EXCL: never another's file
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_checkpoint(
    folder: str | Path,
    model: nn.Module,
    config: dict,
    *,
    samples=None,
    card: str | None = None,
    discriminator: nn.Module | None = None,
) -> Path:
    """Write ``model``'s weights and ``config`` (a dict holding at least ``kind`` and ``model``).

    ``samples`` is an optional PIL image saved as ``samples.png``; ``card`` overrides the model card;
    ``discriminator`` is saved beside the generator as ``discriminator.safetensors``.
    """
    folder = Path(folder)
    config = {**config, "gandemo_version": __version__}
    atomic_write(folder / WEIGHTS_NAME, _safetensors_bytes(model))
    if discriminator is not None:
        atomic_write(folder / DISCRIMINATOR_NAME, _safetensors_bytes(discriminator))
        if model.config.data != "mnist":
            write_critic_map(folder, discriminator)
    atomic_write(folder / CONFIG_NAME, json.dumps(config, indent=2) + "\n")
    if samples is not None:
        buffer = io.BytesIO()
        samples.save(buffer, format="PNG")
        atomic_write(folder / SAMPLES_NAME, buffer.getvalue())
    atomic_write(folder / CARD_NAME, card if card is not None else model_card(config))
    return folder


def _safetensors_bytes(model: nn.Module) -> bytes:
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    return save_safetensors(state, metadata={"format": "pt"})


def write_critic_map(folder: str | Path, discriminator: nn.Module) -> None:
    """``critic_map.safetensors``: a 2-D model's critic scores over the plot's grid (``plots.critic_map``:
    ``scores[i, j]`` at x = axis[j], y = axis[i], the axis running from -limit to limit), so neither the app
    nor a visitor's browser computes it per view."""
    _, _, scores = critic_map(discriminator.eval(), limit=PLOT_LIMIT)
    tensors = {"scores": torch.from_numpy(scores).float().contiguous(), "limit": torch.tensor([PLOT_LIMIT])}
    atomic_write(Path(folder) / CRITIC_MAP_NAME, save_safetensors(tensors, metadata={"format": "pt"}))


def read_critic_map(folder: str | Path) -> tuple | None:
    """The saved map as ``plots.critic_map`` returns it (xs, ys, scores), or None when the folder has none."""
    path = Path(folder) / CRITIC_MAP_NAME
    if not path.is_file():
        return None
    try:
        state = load_safetensors(path.read_bytes())
        scores, limit = state["scores"].numpy(), float(state["limit"][0])
    except Exception as error:  # a damaged file: name it, as for the weights
        raise CheckpointError(f"{path} is not a readable critic map ({error})") from None
    axis = np.linspace(-limit, limit, scores.shape[0], dtype=np.float32)
    xs, ys = np.meshgrid(axis, axis, indexing="xy")
    return xs, ys, scores


def write_history(folder: str | Path, history: dict[str, list]) -> None:
    atomic_write(Path(folder) / HISTORY_NAME, json.dumps(history) + "\n")


def read_history(folder: str | Path) -> dict[str, list] | None:
    """The loss history a run wrote, or None when the folder has none (or it is unreadable)."""
    path = Path(folder) / HISTORY_NAME
    try:
        history = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return history if isinstance(history, dict) else None


def write_timeline_image(folder: str | Path, step: int, picture) -> None:
    """Save the fixed-noise samples at ``step`` (a PIL image) into the folder's timeline."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    atomic_write(Path(folder) / TIMELINE_DIR / f"step_{step:06d}.png", buffer.getvalue())


def timeline_images(folder: str | Path) -> list[Path]:
    """The timeline's pictures, oldest first."""
    return sorted((Path(folder) / TIMELINE_DIR).glob("step_*.png"))


def update_config(folder: str | Path, **updates) -> dict:
    """Merge ``updates`` into a checkpoint's config.json (e.g. metrics) and rewrite its card."""
    folder = Path(folder)
    config = read_config(folder)
    config.update(updates)
    atomic_write(folder / CONFIG_NAME, json.dumps(config, indent=2) + "\n")
    atomic_write(folder / CARD_NAME, model_card(config))
    return config


def read_config(folder: str | Path) -> dict:
    """The parsed config.json of a checkpoint folder, without touching its weights."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(f"checkpoint folder {folder} does not exist")
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise CheckpointError(f"{folder}: {CONFIG_NAME} is missing")
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise CheckpointError(f"{path} is {size:,} bytes; a config.json is at most {MAX_CONFIG_BYTES:,}")
    try:
        config = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{path} is not valid JSON: {error}") from error
    except RecursionError:  # (json nests one Python call per level)
        raise CheckpointError(f"{path} is nested too deeply to be a config") from None
    if not isinstance(config, dict) or not isinstance(config.get("model"), dict):
        raise CheckpointError(f"{path} has no 'model' section describing the network")
    return config


def _load_state(folder: Path, name: str = WEIGHTS_NAME) -> dict[str, torch.Tensor]:
    path = folder / name
    if not path.is_file():
        raise CheckpointError(f"{folder}: {name} is missing")
    try:
        return load_safetensors(path.read_bytes())
    except (SafetensorError, ValueError, RuntimeError) as error:
        raise CheckpointError(f"{path} is corrupt or truncated: {error}") from error


def read_weights_header(path: Path) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Each tensor's dtype and shape from a safetensors file's JSON header, checked against the file's size,
    without reading the tensors (what :func:`_load_into` compares with the network before building it)."""
    size = path.stat().st_size
    with open(path, "rb") as file:
        length = int.from_bytes(file.read(8), "little")
        if size < 8 or not 2 <= length <= min(size - 8, MAX_HEADER_BYTES):
            raise CheckpointError(f"{path} is corrupt or truncated: its header does not fit the file")
        try:
            header = json.loads(file.read(length))
        except (ValueError, RecursionError):
            raise CheckpointError(f"{path} is corrupt or truncated: its header is not JSON") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path} is corrupt or truncated: its header is not a JSON object")
    header.pop("__metadata__", None)
    data = size - 8 - length
    tensors = {}
    for key, entry in header.items():
        try:
            dtype, shape, (start, end) = entry["dtype"], tuple(entry["shape"]), entry["data_offsets"]
            ok = all(isinstance(n, int) and n >= 0 for n in (*shape, start, end)) and start <= end <= data
        except (TypeError, KeyError, ValueError):
            ok = False
        if not ok:
            raise CheckpointError(f"{path} is corrupt or truncated: the entry for {key[:60]!r} does not fit the file")
        tensors[key] = (dtype, shape)
    return tensors


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.int64: "I64"}  # what gandemo's networks hold, and loads


def _check_weights(path: Path, expected: dict[str, torch.Tensor]) -> None:
    """The file's tensors are the network's, by name, shape and dtype: said before anything is allocated."""
    found = read_weights_header(path)
    missing, unexpected = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
    if missing or unexpected:
        listed = "; ".join(
            f"{what}: {', '.join(names[:4])}{' …' if len(names) > 4 else ''}"
            for what, names in (("missing", missing), ("unexpected", unexpected))
            if names
        )
        raise CheckpointError(f"{path} does not match the network in {CONFIG_NAME}'s 'model' ({listed})")
    for key, tensor in expected.items():
        dtype, shape = found[key]
        wanted = SAFETENSORS_DTYPES.get(tensor.dtype)
        if dtype != wanted:
            raise CheckpointError(
                f"{path}: {key} is stored as {str(dtype)[:10]}; gandemo loads {wanted} here "
                f"(float32 weights, int64 counters), so convert it with tensor.float() before saving"
            )
        if shape != tuple(tensor.shape):
            raise CheckpointError(
                f"{path} does not match the network in {CONFIG_NAME}'s 'model': size mismatch for {key}, "
                f"{list(shape)} in the file, {list(tensor.shape)} in the network"
            )


def _load_into(build, folder: Path, device: str | torch.device, name: str = WEIGHTS_NAME) -> nn.Module:
    """``build()``'s network with the weights of ``folder/name``: the network is first built on the meta device
    (no memory) and held to the file's header, so a config that does not match its weights, or asks for a
    huge network, is a CheckpointError before anything is allocated."""
    path = folder / name
    if not path.is_file():
        raise CheckpointError(f"{folder}: {name} is missing")
    try:
        with torch.device("meta"):
            expected = build().state_dict()
    except (TypeError, ValueError, RuntimeError) as error:
        raise CheckpointError(f"{folder / CONFIG_NAME}: {error}") from None
    _check_weights(path, expected)
    state = _load_state(folder, name)
    for key, tensor in state.items():
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise CheckpointError(f"{path}: {key} holds NaN or infinite values")
    model = build()
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        summary = " ".join(str(error).split())
        raise CheckpointError(f"{folder}: {name} does not match the network in {CONFIG_NAME}: {summary}") from error
    return model.to(resolve_device(device)).eval()


def resolve_checkpoint(name_or_path: str | Path) -> Path:
    """A local folder first, then the Hugging Face cache, then the Hub (unless ``HF_HUB_OFFLINE``)."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    if path.is_file():
        unzip = f": unzip it (python -m zipfile -e {path} FOLDER) and load the folder" if path.suffix == ".zip" else ""
        raise CheckpointError(f"{path} is a file, not a checkpoint folder{unzip}")
    name = str(name_or_path)
    if name.count("/") != 1 or path.exists() or name.startswith((".", "/")):
        raise CheckpointError(f"checkpoint folder {name} does not exist")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except Exception as cache_error:
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
        if offline:
            raise CheckpointError(
                f"{name} is neither a local folder nor in the Hugging Face cache, and HF_HUB_OFFLINE is set"
            ) from cache_error
    try:
        return Path(snapshot_download(name))
    except Exception as error:
        raise CheckpointError(f"{name} is neither a local folder nor a reachable Hub repo: {error}") from error


@dataclass(frozen=True)
class Checkpoint:
    """A loaded generator checkpoint: the eval-mode network, its whole config.json and its folder."""

    generator: nn.Module
    config: dict
    folder: Path

    @property
    def objective(self) -> str:
        """The objective it was trained with ("gan" where the config does not say)."""
        return self.config.get("training", {}).get("objective", "gan")

    def discriminator(self, *, device: str | torch.device | None = None) -> nn.Module | None:
        """The discriminator/critic saved beside the generator, or None when the folder has none."""
        if not (self.folder / DISCRIMINATOR_NAME).is_file():
            return None
        device = device if device is not None else next(self.generator.parameters()).device
        config = self.generator.config
        return _load_into(lambda: build_discriminator(config), self.folder, device, DISCRIMINATOR_NAME)


def load_generator(name_or_path: str | Path, *, device: str | torch.device = "auto") -> nn.Module:
    """Load a generator checkpoint (folder or Hub repo id) strictly, in eval mode, on ``device``; its
    ``.config`` is the ModelConfig it was built from. :func:`load_checkpoint` also gives the config.json."""
    return load_checkpoint(name_or_path, device=device).generator


def load_checkpoint(name_or_path: str | Path, *, device: str | torch.device = "auto") -> Checkpoint:
    """Load a generator checkpoint (folder or Hub repo id) with its config.json and folder."""
    folder = resolve_checkpoint(name_or_path)
    config = read_config(folder)
    if config.get("kind", "generator") != "generator":
        raise CheckpointError(f"{folder} holds a {config.get('kind')!r}, not a generator")
    model_config = model_config_of(folder, config)
    return Checkpoint(_load_into(lambda: build_generator(model_config), folder, device), config, folder)


def model_config_of(folder: Path, config: dict) -> ModelConfig:
    """The network a checkpoint's config.json describes, every field's type and size checked."""
    try:
        return ModelConfig.from_dict(config["model"])
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{folder / CONFIG_NAME}: {error}") from None


def load_classifier(name_or_path: str | Path, *, device: str | torch.device = "auto") -> MNISTClassifier:
    folder = resolve_checkpoint(name_or_path)
    config = read_config(folder)
    if config.get("kind") != "classifier":
        raise CheckpointError(f"{folder} holds a {config.get('kind')!r}, not a classifier")
    try:
        model_config = ClassifierConfig(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in config["model"].items()}
        )
    except TypeError as error:
        raise CheckpointError(f"{folder / CONFIG_NAME}: {error}") from error
    return _load_into(lambda: MNISTClassifier(model_config), folder, device)


def list_checkpoints(root: str | Path) -> dict[str, dict | CheckpointError]:
    """Every sub-folder of ``root`` that looks like a checkpoint, name -> config or the error reading it."""
    root = Path(root)
    found: dict[str, dict | CheckpointError] = {}
    if not root.is_dir():
        return found
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            found[folder.name] = read_config(folder)
        except CheckpointError as error:
            found[folder.name] = error
    return found


# what a card lists about the run that trained a checkpoint (and a fine-tune records about its start)
TRAINING_FACTS = ("steps", "images_seen", "wall_time_s", "hardware", "device", "torch_version")


def _fact_lines(record: dict, keys: tuple[str, ...]) -> list[str]:
    """A card's bullet list of the ``keys`` that ``record`` holds, then a blank line."""
    return [f"- {key.replace('_', ' ')}: {record[key]}" for key in keys if key in record] + [""]


def _probe_lines(config: dict) -> list[str]:
    """The card's account of a discriminator made after training (``python -m train.discriminator``) and of the
    spread of inversion distances (``python -m gandemo.measures.inversion``)."""
    lines, record = [], config.get("discriminator")
    if isinstance(record, dict) and record.get("command"):
        lines += _discriminator_lines(record)
    inversion = config.get("inversion")
    if isinstance(inversion, dict) and inversion.get("words"):
        lines += ["## Inversion", "", "```bash", inversion.get("command", ""), "```", ""]
        how = (
            f"The latent whose picture is closest to a digit, found by Adam on z from {inversion.get('restarts')} "
            f"seeded restarts of {inversion.get('steps')} steps; its distance is the RMS difference of the pictures."
        )
        words = inversion["words"]
        lines += [how, f"{words[:1].upper()}{words[1:]}.", ""]
    return lines


def _discriminator_lines(record: dict) -> list[str]:
    lines = ["## Discriminator", "", f"`{DISCRIMINATOR_NAME}`: {record.get('made', 'a discriminator')}.", ""]
    lines += ["```bash", record["command"], "```", ""]
    lines += _fact_lines(record, ("objective", "steps", "batch_size", "wall_time_s", "hardware", "torch_version"))
    scores = record.get("scores")
    if isinstance(scores, dict) and scores.get("words"):
        lines += [f"Its scores ({scores.get('n')} of each): {scores['words']}.", ""]
    return lines


def model_card(config: dict) -> str:
    """A Hugging Face model card (front matter + text) for a checkpoint's config."""
    recipe = config.get("recipe", config.get("kind", "model"))
    data = config.get("model", {}).get("data", "mnist")
    classifier = config.get("kind") == "classifier"
    tags = ["gandemo", "pytorch"] + (["image-classification"] if classifier else ["gan", recipe])
    tags += ["mnist"] if data == "mnist" else ["toy-data", "8-gaussians"]
    lines = ["---", "library_name: gandemo", "license: mit", "tags:"]
    lines += [f"- {tag}" for tag in tags]
    if data == "mnist":
        lines += ["datasets:", "- ylecun/mnist"]
    lines += [f"pipeline_tag: {'image-classification' if classifier else 'unconditional-image-generation'}"]
    lines += ["---", "", f"# gandemo `{recipe}`", ""]
    lines.append(config.get("description", f"A `{recipe}` checkpoint trained with gandemo."))
    lines += ["", "```python", "import gandemo", ""]
    if classifier:
        lines += ['classifier = gandemo.load_classifier("<this folder or repo id>")']
    else:
        lines += ['generator = gandemo.load_generator("<this folder or repo id>")']
        labels = ", labels=list(range(10))" if config.get("model", {}).get("num_classes") else ""
        lines += [f"samples = gandemo.sample(generator, 10, seed=0{labels})"]
    lines += ["```", ""]
    training = config.get("training")
    if training:
        lines += ["## Training", ""]
        if training.get("command"):
            phases = training["command"].replace(" && ", " &&\n")  # a run extended with --resume: one per line
            lines += ["```bash", phases, "```", ""]
        if training.get("minutes"):
            lines.append(f"- time budget: {training['minutes']:g} minutes (the steps were fitted to it)")
        lines += _fact_lines(training, TRAINING_FACTS)
        source = training.get("init_from")
        if source:
            lines += [f"Starts from the generator in `{source['folder']}`, trained by:", ""]
            lines += ["```bash", source.get("command", "(command not recorded)"), "```", ""]
            lines += _fact_lines(source, ("steps", "wall_time_s", "hardware"))
    lines += _probe_lines(config)
    metrics = config.get("metrics")
    if metrics:
        lines += ["## Metrics", "", "| metric | value |", "| --- | --- |"]
        for key, value in metrics.items():
            if isinstance(value, dict):  # a measure with its parts (data_copying: C_T and its cells): its headline
                value = value.get("C_T")
            if isinstance(value, float):
                value = f"{value:.4g}"
            elif isinstance(value, list):
                value = ", ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in value)
            lines.append(f"| {metric_words(key)} | {value} |")
        lines.append("")
        if isinstance(metrics.get("data_copying"), dict):
            lines += [f"Data-copying statistic C_T ({PAPERS['data-copying']}): {COPYING_MEANING}.", ""]
    if data == "mnist":
        lines += [
            "Trained on MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges (CC BY-SA 3.0).",
            "",
        ]
    return "\n".join(lines)
