"""What the app shows, without any UI: a thread-safe cache of loaded generators and one function per
app action. Every error a user can cause is a ValueError with a message fit to show them."""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path

import torch
from PIL import Image

from . import metrics
from .checkpoints import (
    CheckpointError,
    list_checkpoints,
    load_discriminator,
    load_generator,
    read_config,
    resolve_checkpoint,
)
from .data import RING_CENTERS, sample_8gaussians
from .device import resolve_device
from .plots import image_grid, loss_plot, toy_plot
from .sampling import check_seed, frames_to_gif, grid, interpolate, label_sweep, sample

MAX_GRID = 16
MAX_POINTS = 10_000
MAX_STEPS = 32
DISPLAY_SCALE = 2  # a 28x28 digit is a speck at its true size; the app's CSS enlarges further, pixelated
ALL_DIGITS = "all digits"


def _whole(value, name: str, low: int, high: int) -> int:
    """A whole number in [low, high], or a ValueError that says which control is wrong."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")
    return value


def _seed(value, name: str = "seed") -> int:
    try:
        return check_seed(value)
    except ValueError as error:
        raise ValueError(str(error).replace("seed", name, 1)) from None


class Showroom:
    """The checkpoints under ``root`` (or a Hub repo of checkpoint folders), loaded once on ``device``."""

    def __init__(
        self,
        root: str | Path = "checkpoints",
        *,
        device: str = "auto",
        hub_repo: str | None = None,
        preload: bool = True,
    ):
        self.device = resolve_device(device)
        if hub_repo:
            root = resolve_checkpoint(hub_repo)  # a repo holding one folder per model
        self.root = Path(root)
        self.configs: dict[str, dict] = {}
        self.errors: dict[str, str] = {}
        for name, found in list_checkpoints(self.root).items():
            if isinstance(found, CheckpointError):
                self.errors[name] = str(found)
            elif found.get("kind", "generator") == "generator":
                self.configs[name] = found
        self._models: dict[str, torch.nn.Module] = {}
        self._critics: dict[str, torch.nn.Module | None] = {}
        self._lock = threading.Lock()
        if preload:  # load everything now: broken weights show up in the status, not on first use
            for name in list(self.configs):
                try:
                    self.model(name)
                except ValueError:
                    pass

    def add(self, name: str) -> None:
        """Make a checkpoint folder written under ``root`` while serving (e.g. by the playground) available."""
        self.configs[name] = read_config(self.root / name)  # raises CheckpointError for a bad folder
        self.errors.pop(name, None)

    # ---- what is there -------------------------------------------------------------------------
    def names(self, data: str | None = None) -> list[str]:
        return [n for n, c in self.configs.items() if data is None or c["model"].get("data") == data]

    def is_conditional(self, name: str) -> bool:
        return bool(self.configs.get(name, {}).get("model", {}).get("num_classes"))

    def status(self) -> str:
        """Markdown: what loaded, what did not and why, or how to train a first model."""
        if not self.configs and not self.errors:
            return (
                f"**No checkpoints found in `{self.root}`.** Train one with `python -m train dcgan` "
                "(or `python -m train --list` for all recipes), then restart the app."
            )
        lines = [f"Serving {len(self.configs)} model(s) from `{self.root}` on **{self.device.type}**."]
        lines += [f"- ⚠️ `{name}` is unavailable: {message}" for name, message in self.errors.items()]
        return "\n".join(lines)

    def model(self, name: str) -> torch.nn.Module:
        """The cached, eval-mode generator called ``name``; loading errors become clear ValueErrors."""
        if name in self.errors:
            raise ValueError(f"model {name!r} is unavailable: {self.errors[name]}")
        if name not in self.configs:
            raise ValueError(f"unknown model {name!r}; available: {', '.join(self.configs) or 'none'}")
        with self._lock:
            if name not in self._models:
                try:
                    self._models[name] = load_generator(self.root / name, device=self.device)
                except CheckpointError as error:
                    self.errors[name] = str(error)
                    del self.configs[name]
                    raise ValueError(f"model {name!r} is unavailable: {error}") from None
            return self._models[name]

    def critic(self, name: str) -> torch.nn.Module | None:
        generator = self.model(name)
        with self._lock:
            if name not in self._critics:
                try:
                    self._critics[name] = load_discriminator(generator)
                except CheckpointError:
                    self._critics[name] = None  # the plot still shows the points, without the map
            return self._critics[name]

    def card(self, name: str) -> str:
        """The model card without its front matter."""
        path = self.root / name / "README.md"
        text = path.read_text() if path.is_file() else ""
        return text.split("---", 2)[2].strip() if text.startswith("---") else text

    def metrics_markdown(self, name: str) -> str:
        config = self.configs.get(name)
        if config is None:
            return self.errors.get(name, "")
        found = config.get("metrics") or {}
        keys = [
            ("inception_score", "classifier Inception Score"),
            ("inception_score_real_test", "same score, real test images"),
            ("frechet_distance", "Fréchet distance (classifier features)"),
            ("frechet_distance_real_floor", "same distance, real train vs test"),
            ("label_accuracy", "label accuracy"),
            ("min_digit_share", "smallest digit share"),
            ("modes_captured", "modes captured (of 8)"),
            ("high_quality_share", "high-quality samples"),
            ("kl_to_uniform", "mode-histogram KL"),
        ]
        rows = [f"| {label} | {found[k]:.4g} |" for k, label in keys if isinstance(found.get(k), (int, float))]
        head = f"**{name}**: {config.get('description') or config.get('recipe', '')}"
        if not rows:
            return head + "\n\n_No metrics measured yet (`python -m gandemo.evaluate`)._"
        return head + "\n\n| metric | value |\n| --- | --- |\n" + "\n".join(rows)

    # ---- actions -------------------------------------------------------------------------------
    def generate(self, name: str, seed, rows, cols, digit=None) -> Image.Image:
        """A rows x cols grid; for conditional models one digit, or ``"all digits"`` for the label sweep."""
        seed, rows, cols = _seed(seed), _whole(rows, "rows", 1, MAX_GRID), _whole(cols, "columns", 1, MAX_GRID)
        generator = self.model(name)
        if generator.config.data != "mnist":
            raise ValueError(f"{name!r} makes 2-D points, not images: use the 8 Gaussians tab (/toy)")
        if not generator.config.num_classes:
            if digit not in (None, "", ALL_DIGITS):
                raise ValueError(f"{name!r} is unconditional: it takes no digit")
            return grid(generator, rows=rows, cols=cols, seed=seed, scale=DISPLAY_SCALE)
        if digit in (None, "", ALL_DIGITS):
            return label_sweep(generator, rows=rows, seed=seed, scale=DISPLAY_SCALE)
        digit = _whole(int(digit) if isinstance(digit, str) and digit.isdigit() else digit, "digit", 0, 9)
        return image_grid(sample(generator, rows * cols, seed=seed, labels=digit), cols=cols, scale=DISPLAY_SCALE)

    def compare(self, seed, rows=4, cols=4) -> list[tuple[Image.Image, str]]:
        """The same seed through every MNIST model (the same latents where latent sizes match)."""
        seed, rows, cols = _seed(seed), _whole(rows, "rows", 1, MAX_GRID), _whole(cols, "columns", 1, MAX_GRID)
        gallery = []
        for name in self.names("mnist"):
            try:
                generator = self.model(name)
            except ValueError:
                continue
            labels = [i % 10 for i in range(rows * cols)] if generator.config.num_classes else None
            images = sample(generator, rows * cols, seed=seed, labels=labels)
            latent = f"z{generator.config.latent_dim}" + (", digits 0-9 in turn" if labels else "")
            gallery.append((image_grid(images, cols=cols, scale=3), f"{name} ({latent})"))
        if not gallery:
            raise ValueError("no MNIST model is available")
        return gallery

    def interpolate(self, name: str, seed_a, seed_b, steps, method="slerp", digit=None):
        """A strip of ``steps`` frames from seed A to seed B and the same frames as an animated GIF file."""
        seed_a, seed_b = _seed(seed_a, "seed A"), _seed(seed_b, "seed B")
        steps = _whole(steps, "steps", 2, MAX_STEPS)
        if method not in ("slerp", "lerp"):
            raise ValueError(f"method must be 'slerp' or 'lerp', got {method!r}")
        generator = self.model(name)
        if generator.config.data != "mnist":
            raise ValueError(f"{name!r} makes 2-D points; pick an MNIST model")
        label = None
        if generator.config.num_classes:
            if digit in (None, "", ALL_DIGITS):
                raise ValueError(f"{name!r} is conditional: choose one digit (0-9) to walk through")
            label = _whole(int(digit) if str(digit).isdigit() else digit, "digit", 0, 9)
        elif digit not in (None, "", ALL_DIGITS):
            raise ValueError(f"{name!r} is unconditional: it takes no digit")
        frames = interpolate(generator, seed_a, seed_b, steps=steps, method=method, label=label)
        strip = image_grid(frames, cols=steps, scale=3)
        pictures = [image_grid(f[None], cols=1, padding=0, scale=8) for f in frames]
        gif = Path(tempfile.mkdtemp(prefix="gandemo-")) / f"{name}-{seed_a}-{seed_b}-{method}.gif"
        gif.write_bytes(frames_to_gif(pictures))
        return strip, str(gif)

    def toy(self, name: str, seed, points) -> tuple[Image.Image, dict]:
        """Real vs generated points over the critic's map, and mode coverage of exactly this draw."""
        seed, points = _seed(seed), _whole(points, "points", 1, MAX_POINTS)
        generator = self.model(name)
        if generator.config.data != "8gaussians":
            raise ValueError(f"{name!r} is an MNIST model; pick toy-gan or toy-wgan-gp")
        fake = sample(generator, points, seed=seed)
        real = sample_8gaussians(points, generator=torch.Generator().manual_seed(seed))
        coverage = metrics.mode_coverage(fake)
        wgan = self.configs[name].get("training", {}).get("objective") == "wgan-gp"
        title = (
            f"{name}: {coverage['modes_captured']}/8 modes, {100 * coverage['high_quality_share']:.1f}% high quality"
        )
        picture = toy_plot(
            real,
            fake,
            critic=self.critic(name),
            centers=RING_CENTERS,
            title=title,
            critic_label="critic score" if wgan else "discriminator logit",
        )
        return picture, coverage

    def training(self, name: str) -> tuple[Image.Image | None, list[Path], str]:
        """Loss curves, the fixed-noise timeline snapshots (oldest first) and the model card."""
        if name not in self.configs:
            self.model(name)  # raises the clear error
        folder = self.root / name
        history_path = folder / "history.json"
        curves = None
        if history_path.is_file():
            history = json.loads(history_path.read_text())
            steps = history.pop("step", None)
            curves = loss_plot(history, steps=steps, title=f"{name}: losses")
        snapshots = sorted((folder / "timeline").glob("step_*.png"))
        return curves, snapshots, self.card(name)
