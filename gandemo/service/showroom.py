"""What the app shows, without any UI: a thread-safe cache of loaded generators and one function per
app action. Every error a user can cause is a ValueError with a message fit to show them."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

import torch
from PIL import Image

from ..core import inputs, settings, targets
from ..core.checkpoints import (
    CARD_NAME,
    CONFIG_NAME,
    Checkpoint,
    CheckpointError,
    list_checkpoints,
    load_checkpoint,
    model_card,
    model_config_of,
    read_critic_map,
    read_history,
    resolve_checkpoint,
    timeline_images,
)
from ..core.device import resolve_device
from ..core.explain import collapse_verdict, metrics_markdown, model_markdown, named_metrics
from ..core.objectives import OBJECTIVES
from ..core.plots import critic_map, image_grid, loss_plot, toy_plot
from ..core.sampling import frames_to_gif, generate, interpolate, latents, sample
from ..measures import directions, metrics
from .serving import TempFiles

log = logging.getLogger(__name__)
MAX_STRIP_COLUMNS = 8
DISPLAY_SCALE = 2  # a 28x28 digit is a speck at its true size; the app's CSS enlarges further, pixelated
COMPARE_SCALE = STRIP_SCALE = 3  # the Compare tab's grids and the Latent walk's frames
DIRECTION_SCALE = 8  # the one sample a visitor steers
ALL_DIGITS = "all digits"


def _grid_size(rows, cols) -> tuple[int, int]:
    return settings.ROWS.read(rows), settings.COLS.read(cols)


def _saved_or_computed_map(folder: Path, checkpoint: Checkpoint) -> tuple | None:
    """A 2-D model's critic map: the one saved in its folder, else computed from its critic; None without one."""
    try:
        field = read_critic_map(folder)
        if field is None:
            critic = checkpoint.discriminator()
            field = critic_map(critic) if critic is not None else None
    except CheckpointError:
        field = None
    return field


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
                self._leave_out(name, str(found))
            elif found.get("kind", "generator") == "generator":
                self._vet(name, found)
        self._checkpoints: dict[str, Checkpoint] = {}
        self._critic_maps: dict[str, tuple | None] = {}
        self._directions: dict[str, tuple | None] = {}  # each model's latent directions, read once
        self._lock = threading.Lock()
        self._temp: TempFiles | None = None  # made on first use: the animated GIFs the app hands out
        if preload:  # load everything now: broken weights show up in the status, not on first use
            for name in list(self.configs):
                try:
                    self.model(name)
                except ValueError:
                    log.warning("left out model %r: %s", name, self.errors.get(name))

    def _leave_out(self, name: str, message: str) -> None:
        self.configs.pop(name, None)
        self.errors[name] = message
        log.warning("left out model %r: %s", name, message)

    def _vet(self, name: str, config: dict) -> None:
        """Serve a folder only if everything the app and the browser read of its config can be read: a bad
        folder is one folder left out, with a logged sentence, and the app serves the rest."""
        folder = self.root / name
        self.configs[name] = config
        try:
            model_config_of(folder, config)
            if config["model"]["data"] != "mnist":
                targets.of_config(config)
            metrics = config.get("metrics") or {}
            if not isinstance(metrics, dict):
                raise ValueError("its 'metrics' must be an object")
            collapse_verdict(metrics)
            self.about(name), self.compare_caption(name)
        except CheckpointError as error:
            self._leave_out(name, str(error))
        except Exception as error:  # (a hand-made config can break any reader: name the folder, keep the rest)
            self._leave_out(name, f"{folder / CONFIG_NAME} cannot be read: {str(error)[:200]}")

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
        if not isinstance(name, str):
            raise ValueError(f"model must be the name of a model, one of {', '.join(self.configs) or 'none'}")
        if name in self.configs and not (self.root / name / CONFIG_NAME).is_file():
            # removed while serving: every tab says so alike, rather than some serving it from memory
            self.errors[name] = f"its folder {self.root / name} was removed while the app was running"
            del self.configs[name]
        if name in self.errors:
            raise ValueError(f"model {name!r} is unavailable: {self.errors[name]}")
        if name not in self.configs:
            raise ValueError(f"unknown model {name!r}; available: {', '.join(self.configs) or 'none'}")
        with self._lock:
            if name not in self._checkpoints:
                try:
                    self._checkpoints[name] = load_checkpoint(self.root / name, device=self.device)
                except CheckpointError as error:
                    self.errors[name] = str(error)
                    del self.configs[name]
                    raise ValueError(f"model {name!r} is unavailable: {error}") from None
            return self._checkpoints[name].generator

    def critic_map(self, name: str) -> tuple | None:
        """The critic's scores over the plot's grid (see ``plots.critic_map``), computed once per model;
        None when the folder keeps no critic (the plot still shows the points)."""
        self.model(name)
        with self._lock:
            if name not in self._critic_maps:
                self._critic_maps[name] = _saved_or_computed_map(self.root / name, self._checkpoints[name])
            return self._critic_maps[name]

    def card(self, name: str) -> str:
        """The model card without its front matter; a folder without one (a Playground save) gets the card the
        library writes for its config."""
        path = self.root / name / CARD_NAME
        config = self.configs.get(name)
        text = path.read_text() if path.is_file() else model_card(config) if config else ""
        return named_metrics(text.split("---", 2)[2].strip() if text.startswith("---") else text)

    def about(self, name: str, *, with_metrics: bool = True) -> str:
        """Markdown for beside the pictures: what the model is (with its objective as math), what to look
        for, and its measured numbers with their meanings. How it was trained is on its card."""
        config = self.configs.get(name)
        if config is None:
            return self.errors.get(name, "")
        about = model_markdown(name, config)
        return about + "\n\n" + metrics_markdown(config.get("metrics")) if with_metrics else about

    # ---- actions -------------------------------------------------------------------------------
    def generate(self, name, seed, rows, cols, digit=None) -> Image.Image:
        """A rows x cols grid; for conditional models one digit, or ``"all digits"`` for the label sweep."""
        samples, cols = self.grid_samples(name, seed, rows, cols, digit)
        return image_grid(samples, cols=cols, scale=DISPLAY_SCALE)

    def grid_samples(self, name, seed, rows, cols, digit=None) -> tuple[torch.Tensor, int]:
        """The samples of :meth:`generate`'s grid, in reading order, and its columns (the label sweep's are the
        digits)."""
        seed, (rows, cols) = inputs.seed(seed), _grid_size(rows, cols)
        label = inputs.digit(digit, allow_all=ALL_DIGITS)
        generator = self.model(name)
        if generator.config.data != "mnist":
            raise ValueError(f"{name!r} makes 2-D points, not images: use the 2-D models tab (/toy)")
        if not generator.config.num_classes:
            if label is not None:
                raise ValueError(f"{name!r} is unconditional: it takes no digit")
            return sample(generator, rows * cols, seed=seed), cols
        if label is None:  # the label sweep: each row one latent, the columns the digits
            classes = generator.config.num_classes
            z = latents(seed, rows, generator.config.latent_dim).repeat_interleave(classes, dim=0)
            return generate(generator, z, torch.arange(classes).repeat(rows)), classes
        return sample(generator, rows * cols, seed=seed, labels=label), cols

    def directions(self, name: str) -> tuple[torch.Tensor, list[dict]] | None:
        """A model's latent directions and what each changes (``directions.safetensors``), or None; read once."""
        self.model(name)
        return self._read_directions(name)

    def _read_directions(self, name: str):
        with self._lock:
            if name not in self._directions:
                self._directions[name] = directions.load_directions(self.root / name)
            return self._directions[name]

    def direction_names(self) -> list[str]:
        """The MNIST models with latent directions that can be read (an unreadable file is logged and skipped)."""
        names = []
        for name in self.names("mnist"):
            try:
                if self._read_directions(name) is not None:
                    names.append(name)
            except ValueError as error:
                log.warning("%s", error)
        return names

    def steer(self, name, seed, tile, offsets) -> tuple[Image.Image, Image.Image]:
        """Sample ``tile`` of ``seed`` moved by ``offsets`` (one per direction, in standard deviations), and a
        strip: each direction from -3 to +3 (one row each) through the moved sample."""
        seed, tile = inputs.seed(seed), settings.TILE.read(tile)
        if not isinstance(offsets, (list, tuple)):
            raise ValueError(f"offsets must be a list of {directions.COUNT} numbers from -3 to 3")
        generator = self.model(name)
        found = self.directions(name)
        if found is None:
            raise ValueError(f"{name!r} has no latent directions (python -m gandemo.evaluate finds them)")
        vectors, _ = found
        if len(offsets) != len(vectors):
            raise ValueError(f"offsets must be a list of {len(vectors)} numbers from -3 to 3, got {len(offsets)}")
        offsets = [replace(settings.OFFSET, label=f"direction {k}").read(v) for k, v in enumerate(offsets, 1)]
        z = directions.edit(latents(seed, 1, generator.config.latent_dim, start=tile), vectors, offsets)
        steps = torch.linspace(-directions.SPAN, directions.SPAN, directions.STRIP_STEPS)
        strip = torch.cat([z + t * v for v in vectors for t in steps])
        images = generate(generator, torch.cat([z, strip])).cpu()
        picture = image_grid(images[:1], cols=1, scale=DIRECTION_SCALE)
        return picture, image_grid(images[1:], cols=directions.STRIP_STEPS, scale=STRIP_SCALE)

    def compare(self, seed, rows=4, cols=4) -> list[tuple[Image.Image, str]]:
        """The same seed through every MNIST model (the same latents where latent sizes match)."""
        seed, (rows, cols) = inputs.seed(seed), _grid_size(rows, cols)
        gallery = []
        for name in self.names("mnist"):
            try:
                generator = self.model(name)
            except ValueError:
                continue
            labels = [i % 10 for i in range(rows * cols)] if generator.config.num_classes else None
            images = sample(generator, rows * cols, seed=seed, labels=labels)
            gallery.append((image_grid(images, cols=cols, scale=COMPARE_SCALE), self.compare_caption(name)))
        if not gallery:
            raise ValueError("no MNIST model is available")
        return gallery

    def compare_caption(self, name: str) -> str:
        """The Compare tab's caption: the model and how many random numbers it draws from (its latent size)."""
        model = self.configs[name]["model"]
        size = model["latent_dim"]
        return f"{name}: from {size} random numbers (z{size})" + (
            ", digits 0-9 in turn" if model.get("num_classes") else ""
        )

    def interpolate(self, name, seed_a, seed_b, steps, method="slerp", digit=None):
        """A strip of ``steps`` frames from seed A to seed B and the same frames as an animated GIF file."""
        seed_a, seed_b = inputs.seed(seed_a, "seed A"), inputs.seed(seed_b, "seed B")
        steps = settings.WALK_STEPS.read(steps)
        method = inputs.choice(method, "interpolation", ("slerp", "lerp"))
        label = inputs.digit(digit, allow_all=ALL_DIGITS)
        generator = self.model(name)
        if generator.config.data != "mnist":
            raise ValueError(f"{name!r} makes 2-D points; pick an MNIST model")
        if generator.config.num_classes and label is None:
            raise ValueError(f"{name!r} is conditional: choose one digit (0-9) to walk through")
        if not generator.config.num_classes and label is not None:
            raise ValueError(f"{name!r} is unconditional: it takes no digit")
        frames = interpolate(generator, seed_a, seed_b, steps=steps, method=method, label=label)
        rows = -(-steps // MAX_STRIP_COLUMNS)  # long walks wrap into even rows, so frames stay big on a phone
        strip = image_grid(frames, cols=-(-steps // rows), scale=STRIP_SCALE)
        pictures = [image_grid(f[None], cols=1, padding=0, scale=8) for f in frames]
        gif = self.temp.new_path(f"{name}-{seed_a}-{seed_b}-{method}.gif")
        gif.write_bytes(frames_to_gif(pictures))
        return strip, str(gif)

    @property
    def temp(self) -> TempFiles:
        """This showroom's one bounded temporary folder (the app hands files out from here)."""
        with self._lock:
            if self._temp is None:
                self._temp = TempFiles()
            return self._temp

    def toy(self, name, seed, points) -> tuple[Image.Image, dict, str]:
        """Real points of the model's own target vs its generated points over the critic's map, how exactly this
        draw covers that target (mode coverage, for targets with modes), and that coverage in words."""
        seed, points = inputs.seed(seed), settings.API_TOY_POINTS.read(points)
        generator = self.model(name)
        if generator.config.data != "8gaussians":
            raise ValueError(f"{name!r} is an MNIST model; pick one of {', '.join(self.names('8gaussians'))}")
        checkpoint = self._checkpoints[name]
        target = targets.of_config(checkpoint.config)
        fake = sample(generator, points, seed=seed)
        real = torch.from_numpy(targets.sample(target["name"], seed, points, points=target["points"]))
        modes = targets.modes(target["name"], target["points"])
        if modes is None:
            coverage = {"target": target["name"], "modes_captured": None, "modes_total": None}
            title, words = f"{name}\ntarget: {target['name']}", f"{target['name']}: a target with no modes to count."
        else:
            coverage = {**metrics.mode_coverage(fake, centers=modes[0], std=modes[1]), "target": target["name"]}
            quality = 100 * coverage["high_quality_share"]
            title = f"{name}\n{coverage['modes_captured']}/{coverage['modes_total']} modes, {quality:.1f}% high quality"
            words = metrics_markdown({**coverage, "samples": points})
        picture = toy_plot(
            real,
            fake,
            field=self.critic_map(name),
            centers=torch.from_numpy(modes[0]) if modes is not None else None,
            title=title,
            critic_label=OBJECTIVES.get(checkpoint.objective, OBJECTIVES["gan"]).score_label,
        )
        return picture, coverage, words

    def training(self, name) -> tuple[Image.Image | None, list[Path], str]:
        """Loss curves, the fixed-noise timeline snapshots (oldest first) and the model card."""
        self.model(name)  # a clear error for an unknown, broken or removed model
        folder = self.root / name
        history, curves = read_history(folder), None
        if history:
            steps = history.pop("step", None)
            curves = loss_plot(history, steps=steps, title=f"{name}: losses")
        snapshots = timeline_images(folder)
        return curves, snapshots, self.card(name)
