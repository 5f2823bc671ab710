"""A live 2-D GAN training session for the app's Playground: the offline trainer's own update
(:func:`gandemo.training.gan_step`), a fast NumPy renderer, and saving in the trainer's checkpoint format."""

from __future__ import annotations

import contextlib
import copy
import math
import threading
import time
import weakref
import zipfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from . import inputs, metrics
from .checkpoints import load_checkpoint, save_checkpoint
from .data import RING_CENTERS, RING_STD
from .models import ModelConfig, build_discriminator, build_generator
from .narration import CHECK_EVERY, Measurement, Narrator
from .objectives import OBJECTIVES, get_objective
from .plots import FAKE_COLOUR, PLOT_LIMIT, REAL_COLOUR
from .sampling import tile_seed
from .settings import PLAYGROUND
from .train_state import TrainState
from .training import critic_update, gan_step, generator_update, make_fakes

YOUR_POINTS = "your points"  # a target the visitor draws by clicking, or uploads as a CSV of x,y
GRID_CENTERS = torch.tensor([[x, y] for x in (-2.0, -1.0, 0.0, 1.0, 2.0) for y in (-2.0, -1.0, 0.0, 1.0, 2.0)])
GRID_STD = 0.05
TARGETS = ("8 Gaussians", "25 Gaussians", "two moons", "swiss roll", YOUR_POINTS)
POINT_STD = 0.05  # each of the visitor's points is a small Gaussian blob
MAX_POINTS = 5000  # points a visitor may draw or upload
MAX_MODES = 64  # up to this many drawn points, each counts as a mode for mode coverage
PART_CHOICES = ("both", "discriminator only", "generator only")  # what a training step updates
SPEEDS = {"full speed": None, "slow motion (10 steps/s)": 10.0, "very slow (2 steps/s)": 2.0}
MAX_STEPS_PER_SESSION = 20_000
LOSS_COLOURS = {"d_loss": ("discriminator", (0, 114, 178)), "g_loss": ("generator", (213, 94, 0))}
PUBLISH_S = 1 / 30  # while playing, the training thread hands the viewer fresh weights this often


def sample_target(name: str, n: int, generator: torch.Generator, points: torch.Tensor | None = None) -> torch.Tensor:
    """``n`` points of a 2-D target distribution, shape (n, 2); ``points`` are the visitor's own, for YOUR_POINTS."""
    if name == YOUR_POINTS:
        if points is None or not len(points):
            raise ValueError("the target 'your points' has no points yet: click on the plot, or upload a CSV of x,y")
        chosen = torch.randint(0, len(points), (n,), generator=generator)
        return points[chosen] + torch.randn(n, 2, generator=generator) * POINT_STD
    if name == "8 Gaussians":
        modes = torch.randint(0, 8, (n,), generator=generator)
        return RING_CENTERS[modes] + torch.randn(n, 2, generator=generator) * RING_STD
    if name == "25 Gaussians":
        modes = torch.randint(0, 25, (n,), generator=generator)
        return GRID_CENTERS[modes] + torch.randn(n, 2, generator=generator) * GRID_STD
    if name == "two moons":
        t = torch.rand(n, generator=generator) * math.pi
        upper = torch.rand(n, generator=generator) < 0.5
        x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
        y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
        points = torch.stack([x - 0.5, y - 0.25], dim=1) * 1.6
        return points + torch.randn(n, 2, generator=generator) * 0.05
    if name == "swiss roll":
        t = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=generator))
        points = torch.stack([t * torch.cos(t), t * torch.sin(t)], dim=1) / 7.5
        return points + torch.randn(n, 2, generator=generator) * 0.05
    raise ValueError(f"unknown target {name!r}; choose one of {', '.join(TARGETS)}")


def target_modes(name: str, points: torch.Tensor | None = None) -> tuple[torch.Tensor, float] | None:
    """Mode centres and standard deviation for the Gaussian-mixture targets (None for the others); a few
    drawn points are modes too."""
    if name == YOUR_POINTS:
        return (points, POINT_STD) if points is not None and 0 < len(points) <= MAX_MODES else None
    return {"8 Gaussians": (RING_CENTERS, RING_STD), "25 Gaussians": (GRID_CENTERS, GRID_STD)}.get(name)


def parse_points(text: str, *, name: str = "points file") -> torch.Tensor:
    """A visitor's CSV of ``x,y`` rows (a header line is allowed) as an (n, 2) tensor inside the plot.

    Points outside [-2.5, 2.5]^2 are scaled (keeping the shape) and centred to fit; errors name the line."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = [f.strip() for f in line.replace(";", ",").replace("\t", ",").split(",") if f.strip()]
        if not fields:
            continue
        try:
            x, y = (float(f) for f in fields)
        except ValueError:
            if number == 1 and not rows:
                continue  # a header such as "x,y"
            raise ValueError(f"{name}, line {number}: expected two numbers x,y, got {line.strip()[:40]!r}") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"{name}, line {number}: x and y must be finite numbers")
        rows.append((x, y))
        if len(rows) > MAX_POINTS:
            raise ValueError(f"{name} has more than {MAX_POINTS:,} points; use fewer")
    if not rows:
        raise ValueError(f"{name} holds no x,y rows")
    points = torch.tensor(rows, dtype=torch.float32)
    if points.abs().max() > 2.5:
        centre = (points.max(0).values + points.min(0).values) / 2
        points = (points - centre) * (2.5 / float((points - centre).abs().max().clamp_min(1e-9)))
    return points


@contextlib.contextmanager
def one_thread():
    """Run this thread's torch ops on one core (a per-thread setting), restoring it afterwards.

    The playground's networks are too small to gain from intra-op threads, and on a 2-core machine a
    second thread makes drawing and training fight over the same cores.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@dataclass(frozen=True)
class View:
    """Eval-mode copies of the networks at one step, for drawing while training goes on."""

    generator: torch.nn.Module
    discriminator: torch.nn.Module
    step: int
    history_length: int


@dataclass(frozen=True)
class PlaygroundSettings:
    objective: str = "wgan-gp"  # a name in gandemo.objectives.OBJECTIVES
    target: str = "8 Gaussians"
    width: int = PLAYGROUND["width"].default
    depth: int = PLAYGROUND["depth"].default
    g_lr: float = PLAYGROUND["g_lr"].default
    d_lr: float = PLAYGROUND["d_lr"].default
    critic_steps: int = PLAYGROUND["critic"].default
    gp_weight: float = PLAYGROUND["gp"].default
    batch_size: int = PLAYGROUND["batch"].default
    seed: int = 0
    points: tuple[tuple[float, float], ...] = ()  # the visitor's own target, for YOUR_POINTS

    @classmethod
    def from_inputs(cls, objective, target, width, depth, g_lr, d_lr, critic_steps, gp_weight, batch_size, points=()):
        """Settings from a visitor's raw values (any type), each checked and named in the error."""
        return cls(
            objective=inputs.choice(objective, "objective", list(OBJECTIVES)),
            target=inputs.choice(target, "target", TARGETS),
            width=PLAYGROUND["width"].read(width),
            depth=PLAYGROUND["depth"].read(depth),
            g_lr=PLAYGROUND["g_lr"].read(g_lr),
            d_lr=PLAYGROUND["d_lr"].read(d_lr),
            critic_steps=PLAYGROUND["critic"].read(critic_steps),
            gp_weight=PLAYGROUND["gp"].read(gp_weight),
            batch_size=PLAYGROUND["batch"].read(batch_size),
            points=drawn_points(points),
        )

    def numbers(self) -> dict:
        """The numeric settings by their key in ``gandemo.settings.PLAYGROUND``."""
        return {
            "width": self.width,
            "depth": self.depth,
            "g_lr": self.g_lr,
            "d_lr": self.d_lr,
            "critic": self.critic_steps,
            "gp": self.gp_weight,
            "batch": self.batch_size,
        }

    @property
    def point_tensor(self) -> torch.Tensor | None:
        return torch.tensor(self.points, dtype=torch.float32).view(-1, 2) if self.points else None

    def validate(self) -> PlaygroundSettings:
        for key, value in self.numbers().items():
            PLAYGROUND[key].read(value)  # the one range table's check and sentence
        checks = [
            (self.objective in OBJECTIVES, f"objective must be one of {', '.join(OBJECTIVES)}"),
            (self.target in TARGETS, f"target must be one of {', '.join(TARGETS)}"),
            (self.target != YOUR_POINTS or bool(self.points), "the target 'your points' needs points: click the plot"),
            (len(self.points) <= MAX_POINTS, f"at most {MAX_POINTS:,} points"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        return self


def drawn_points(value) -> tuple[tuple[float, float], ...]:
    """A visitor's points (a list of [x, y] pairs from the page or the API), checked and named in the error."""
    if value is None or value == "":
        return ()
    if not isinstance(value, (list, tuple)) or len(value) > MAX_POINTS:
        raise ValueError(f"points must be a list of at most {MAX_POINTS:,} [x, y] pairs")
    pairs = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"points[{i}] must be a pair [x, y], got {str(pair)[:30]!r}")
        x, y = (inputs.number(c, f"points[{i}]", -PLOT_LIMIT, PLOT_LIMIT) for c in pair)
        pairs.append((x, y))
    return tuple(pairs)


@dataclass(frozen=True)
class Preset:
    """A one-click experiment: settings that show one classic behaviour, and two sentences on it."""

    settings: PlaygroundSettings
    explanation: str


PRESETS = {
    "Mode collapse: the plain GAN on the ring": Preset(
        PlaygroundSettings(objective="gan", critic_steps=1, g_lr=1e-3, d_lr=1e-3, gp_weight=0.0),
        "The original objective, with no penalty and no PacGAN trick. Watch the generated points bunch onto "
        "a few modes and then jump together to others: the discriminator only ever says where to go next.",
    ),
    "WGAN-GP covers the ring": Preset(
        PlaygroundSettings(objective="wgan-gp", critic_steps=5, g_lr=1e-4, d_lr=1e-4, gp_weight=0.1),
        "The Wasserstein critic with a gradient penalty, trained five times per generator step, as in the "
        "paper's toy. Its smooth map pulls every point toward some mode, so all eight fill in and stay.",
    ),
    "Learning rate too high: oscillation": Preset(
        PlaygroundSettings(objective="gan", critic_steps=1, g_lr=5e-3, d_lr=5e-3, gp_weight=0.0),
        "The plain GAN with learning rates five times higher. Each network overshoots the other's last move, "
        "so the points swing around the ring and the number of modes covered rises and falls.",
    ),
    "Too few critic steps": Preset(
        PlaygroundSettings(objective="wgan-gp", critic_steps=1, g_lr=1e-4, d_lr=1e-4, gp_weight=0.1),
        "WGAN-GP, but the critic trains once per generator step instead of five times. Its map lags behind the "
        "generator, so the points wander around the ring instead of settling (try 5 critic steps to compare).",
    ),
    "Least squares on the swiss roll": Preset(
        PlaygroundSettings(objective="lsgan", target="swiss roll", critic_steps=1, g_lr=1e-3, d_lr=1e-3),
        "LSGAN pulls generated points toward the real ones in proportion to how wrong the discriminator finds "
        "them. A thin spiral is hard: watch the inner turns, which are covered last.",
    ),
}


def _on_state(name: str) -> property:
    return property(lambda self: getattr(self.state, name), lambda self, value: setattr(self.state, name, value))


class Playground:
    """One user's training session: networks, optimizers, step counter and loss history."""

    RENDER_SIZE = 420  # pixels of the drawn picture (the app maps clicks on it back to points)

    # the training state lives in one TrainState, as in the offline trainer; these names read through to it
    generator = _on_state("generator")
    discriminator = _on_state("discriminator")
    opt_g = _on_state("opt_g")
    opt_d = _on_state("opt_d")
    step = _on_state("step")
    history = _on_state("history")

    def __init__(self, settings: PlaygroundSettings, *, start_from: str | Path | None = None):
        self.settings = settings.validate()
        if start_from is not None:
            source = load_checkpoint(start_from, device="cpu")
            generator = source.generator.train()
            if generator.config.data != "8gaussians":
                raise ValueError("start from a 2-D model (toy-gan or toy-wgan-gp)")
            discriminator = (source.discriminator() or build_discriminator(generator.config)).train()
            self.config = generator.config
            objective = source.objective
            self.settings = replace(settings, objective=objective if objective in OBJECTIVES else "gan")
        else:
            generator, discriminator = self._fresh_networks(settings)
        s = self.settings
        self.state = TrainState(
            generator,
            discriminator,
            torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(0.5, 0.9)),
            torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(0.5, 0.9)),
        )
        self.fixed_z = torch.randn(1000, 2, generator=torch.Generator().manual_seed(tile_seed(s.seed, 1)))
        self.points = s.point_tensor
        self.real = sample_target(s.target, 1000, torch.Generator().manual_seed(tile_seed(s.seed, 2)), self.points)
        self.narrator = Narrator()
        self._measured_fake: torch.Tensor | None = None
        self.part = "both"  # live options the visitor may change while it plays: what trains, how fast
        self.steps_per_s: float | None = None
        self.seconds_training = 0.0
        self.lock = threading.Lock()  # training and drawing take turns on the same weights
        self._playing = threading.Event()
        self._viewer_waiting = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: str | None = None
        self._publish()
        self.show_arrows = False  # a view option the app's stream reads on every frame
        self.streaming = False  # the app runs at most one frame stream per session
        self.closed = False  # set by SessionLimiter.close: a replaced session must not draw over its successor
        self.evicted = False  # SessionLimiter gave its slot to another visitor while it was idle
        self.idle_timeout_s = math.inf  # SessionLimiter sets it: training stops after this long without a visitor
        self.last_active = time.monotonic()

    def _fresh_networks(self, settings: PlaygroundSettings) -> tuple[torch.nn.Module, torch.nn.Module]:
        hidden = (settings.width,) * settings.depth
        self.config = ModelConfig(
            arch="mlp", data="8gaussians", latent_dim=2, activation="relu", g_hidden=hidden, d_hidden=hidden
        )
        with torch.device("meta"):  # shapes only: PyTorch's own init would draw from the global RNG
            generator, discriminator = build_generator(self.config), build_discriminator(self.config)
        generator, discriminator = generator.to_empty(device="cpu"), discriminator.to_empty(device="cpu")
        init = torch.Generator().manual_seed(tile_seed(settings.seed, 0))
        for module in [*generator.modules(), *discriminator.modules()]:
            if isinstance(module, torch.nn.Linear):  # PyTorch's default init, from our own generator
                torch.nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=init)
                bound = 1 / math.sqrt(module.in_features)
                torch.nn.init.uniform_(module.bias, -bound, bound, generator=init)
        return generator, discriminator

    def release(self) -> None:
        """Drop the networks, optimizers and history of a stopped session, keeping the object (its visitor's
        state may still point at it) small."""
        self.generator = self.discriminator = self.opt_g = self.opt_d = self.view = None
        self.history = {name: [] for name in self.history}

    def touch(self) -> None:
        """Its visitor is here (a request, or a frame streamed to an open tab)."""
        self.last_active = time.monotonic()

    def idle_for(self) -> float:
        return time.monotonic() - self.last_active

    # ---- playing: training runs in its own thread, so drawing never holds it back ----------------
    def play(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._playing.set()
        self._thread = threading.Thread(target=self._train_while_playing, daemon=True)
        self._thread.start()

    def pause(self) -> None:
        self._playing.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _publish(self) -> None:
        """Copy the live networks for drawing (callers hold self.lock or own the session).

        The copies are small (a 3x128 MLP is 0.2 MB) and are swapped in with one assignment, so the
        viewer draws without ever waiting for a training step, and training never waits for a frame.
        """
        generator, discriminator = copy.deepcopy(self.generator).eval(), copy.deepcopy(self.discriminator).eval()
        discriminator.requires_grad_(False)
        self.view = View(generator, discriminator, self.step, len(self.history["step"]))
        self._published_at = time.perf_counter()

    @property
    def playing(self) -> bool:
        """True until the training thread has stopped and published its last weights."""
        return self._thread is not None and self._thread.is_alive()

    @contextlib.contextmanager
    def snapshot(self):
        """Hold the live weights still (to step or save them); the training thread steps aside promptly."""
        self._viewer_waiting.set()
        try:
            with self.lock:
                self._viewer_waiting.clear()
                yield self
        finally:
            self._viewer_waiting.clear()

    def _train_while_playing(self) -> None:
        with one_thread():  # leaves the other core to drawing and serving (29 vs 18 steps/s measured)
            while self._playing.is_set():
                if self.idle_for() > self.idle_timeout_s:  # nobody is watching: stop using the CPU
                    self._playing.clear()
                    break
                while self._viewer_waiting.is_set():  # a plain Lock is not fair: let a waiting viewer in first
                    time.sleep(0.001)
                started = time.perf_counter()
                try:
                    with self.lock:
                        self.train(1)
                except ValueError as error:  # the step limit
                    self.error = str(error)
                    self._playing.clear()
                if self.steps_per_s:  # slow motion: publish every step, then wait out the step's share
                    with self.lock:
                        self._publish()
                    pause_until = started + 1 / self.steps_per_s
                    while self._playing.is_set() and time.perf_counter() < pause_until:
                        time.sleep(0.01)
        with self.lock:
            self._publish()  # the final weights, before `playing` turns False

    def train(self, steps: int) -> None:  # callers that share the session hold self.lock
        """Run ``steps`` training steps: each updates the discriminator ``critic_steps`` times, then the
        generator once; ``part`` may freeze either network (the other side's loss is still measured)."""
        s = self.settings
        steps = min(steps, MAX_STEPS_PER_SESSION - self.step)
        if steps <= 0:
            raise ValueError(f"this session reached its limit of {MAX_STEPS_PER_SESSION} steps: press Reset")
        start = time.perf_counter()
        for _ in range(steps):
            rng = torch.Generator().manual_seed(tile_seed(s.seed + 1, self.step))
            out = self._one_step(rng)
            self.step += 1
            if self.step % CHECK_EVERY == 0:
                self._measure()
        self.seconds_training += time.perf_counter() - start
        self.history["d_loss"].append(round(out["d_loss"].item(), 5))
        self.history["g_loss"].append(round(out["g_loss"].item(), 5))
        self.history["step"].append(self.step)  # last: View.history_length counts complete entries
        if not self.playing or time.perf_counter() - self._published_at >= PUBLISH_S:
            self._publish()

    def _one_step(self, rng: torch.Generator) -> dict[str, torch.Tensor]:
        s, part = self.settings, self.part

        def batch(_critic_step):
            return sample_target(s.target, s.batch_size, rng, self.points), None

        if part == "both":
            return gan_step(
                self.generator,
                self.discriminator,
                self.opt_g,
                self.opt_d,
                batch,
                objective=s.objective,
                critic_steps=s.critic_steps,
                gp_weight=s.gp_weight,
                rng=rng,
            )
        objective, plain = get_objective(s.objective), contextlib.nullcontext()
        if part == "discriminator only":
            for c in range(s.critic_steps):
                real, _ = batch(c)
                fake = make_fakes(self.generator, len(real), None, rng, keep_graph=False, autocast=plain)
                d, opt_d = self.discriminator, self.opt_d
                out = critic_update(d, opt_d, real, fake, None, objective, s.gp_weight, rng, plain)
            with torch.no_grad():
                out["g_loss"] = objective.generator_loss(self.discriminator(fake))
            return out
        real, _ = batch(0)
        fake = make_fakes(self.generator, len(real), None, rng, keep_graph=True, autocast=plain)
        out = generator_update(self.discriminator, self.opt_g, fake, None, objective)
        with torch.no_grad():
            out["d_loss"] = objective.discriminator_loss(self.discriminator(real), self.discriminator(fake))
        return out

    @torch.no_grad()
    def _measure(self) -> None:
        """Measure the live networks on the fixed noise and real points, and let the narrator speak."""
        fake = self.generator(self.fixed_z[:500])
        modes = target_modes(self.settings.target, self.points)
        covered = None
        if modes is not None:
            covered = metrics.mode_coverage(fake, centers=modes[0], std=modes[1])["modes_captured"]
        tolerance = 3 * modes[1] if modes is not None else 3 * POINT_STD
        on_target = float((torch.cdist(fake, self.real).min(dim=1).values <= tolerance).float().mean())
        moved = 0.0 if self._measured_fake is None else float((fake - self._measured_fake).norm(dim=1).mean())
        self._measured_fake = fake
        gap = float(self.discriminator(self.real[:500]).mean() - self.discriminator(fake).mean())
        total = len(modes[0]) if modes else None
        self.narrator.observe(Measurement(self.step, covered, total, on_target, moved, gap, self.part))

    def losses(self, view: View | None = None) -> dict[str, list[float]]:
        """The loss history up to a published view (the lists only grow, so a prefix is consistent)."""
        length = (view or self.view).history_length
        return {name: values[:length] for name, values in self.history.items()}

    @torch.no_grad()
    def samples(self, view: View | None = None) -> torch.Tensor:
        """The generator's points for the session's fixed noise, from a published view (default: the latest)."""
        with one_thread():
            return (view or self.view).generator(self.fixed_z)

    def coverage(self, view: View | None = None) -> dict | None:
        modes = target_modes(self.settings.target, self.points)
        if modes is None:
            return None
        centers, std = modes
        return metrics.mode_coverage(self.samples(view), centers=centers, std=std)

    def render(self, view: View | None = None, *, size: int | None = None, arrows: bool = False) -> Image.Image:
        """Critic map as a heatmap, real points (orange), generated points (blue), optional arrows
        along the generator's gradient (the direction the critic pushes each point). Draws the published
        view (default: the latest), so it runs beside training without holding it up."""
        view, size = view or self.view, size or self.RENDER_SIZE
        resolution = 56  # the critic map is the costly part; bilinear scaling hides the coarse grid
        axis = torch.linspace(-PLOT_LIMIT, PLOT_LIMIT, resolution)
        yy, xx = torch.meshgrid(-axis, axis, indexing="ij")  # row 0 is the top of the picture
        with torch.no_grad(), one_thread():
            scores = view.discriminator(torch.stack([xx.flatten(), yy.flatten()], 1)).view(resolution, resolution)
        scores = scores.numpy()
        unit = (scores - scores.min()) / max(float(scores.max() - scores.min()), 1e-9)
        greys = np.repeat((245 - 120 * unit)[..., None], 3, axis=-1).astype(np.uint8)  # darker: judged more real
        canvas = np.asarray(Image.fromarray(greys, "RGB").resize((size, size), Image.BILINEAR)).copy()

        def to_pixels(points: torch.Tensor) -> np.ndarray:
            return ((points.numpy() + PLOT_LIMIT) / (2 * PLOT_LIMIT) * np.array([size, -size]) + [0, size]).round()

        def dots(points: torch.Tensor, colour: tuple[int, int, int]) -> None:
            xy = to_pixels(points).astype(int)
            for dx in (-1, 0, 1):  # 3x3 squares, drawn with array indexing rather than per-point calls
                for dy in (-1, 0, 1):
                    x, y = xy[:, 0] + dx, xy[:, 1] + dy
                    inside = (x >= 0) & (x < size) & (y >= 0) & (y < size)
                    canvas[y[inside], x[inside]] = colour

        fake = self.samples(view)
        dots(self.real, _rgb(REAL_COLOUR))
        dots(fake, _rgb(FAKE_COLOUR))
        image = Image.fromarray(canvas, "RGB")
        draw = ImageDraw.Draw(image)
        if arrows:
            points = fake[:100].clone().requires_grad_(True)
            with one_thread():
                (gradient,) = torch.autograd.grad(view.discriminator(points).sum(), points)  # the generator climbs it
            directions = gradient / gradient.norm(dim=1, keepdim=True).clamp_min(1e-9)
            for (x, y), (dx, dy) in zip(to_pixels(points.detach()), directions.numpy(), strict=True):
                draw.line([x, y, x + 12 * dx, y - 12 * dy], fill=(200, 30, 30), width=1)
        draw.text((6, 4), f"step {view.step}", fill=(0, 0, 0))
        return image

    def status(self, view: View | None = None, playing: bool | None = None) -> str:
        """One Markdown line: the step, the speed, what trains, and mode coverage where the target has modes."""
        view = view or self.view
        playing = self.playing if playing is None else playing
        lines = [f"**step {view.step}**" + (" (playing)" if playing else "")]
        if self.seconds_training:
            lines.append(f"{self.step / self.seconds_training:.0f} steps/s while training")
        if self.part != "both":
            lines.append(f"training the {self.part.replace(' only', '')} only")
        coverage = self.coverage(view)
        if coverage:
            lines.append(
                f"modes captured {coverage['modes_captured']}/{coverage['modes_total']}, "
                f"high-quality samples {100 * coverage['high_quality_share']:.1f}%"
            )
        if self.settings.target == YOUR_POINTS:
            lines.append(f"your target: {len(self.points)} point(s)")
        return " · ".join(lines)

    def render_losses(self, view: View | None = None, *, width: int = 420, height: int = 160) -> Image.Image:
        """The loss history as a small line chart (discriminator blue, generator orange), ~2 ms."""
        history = self.losses(view)
        image = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(image)
        left, top, right, bottom = 44, 18, width - 8, height - 18
        draw.rectangle([left, top, right, bottom], outline=(200, 200, 200))
        steps = np.asarray(history["step"], dtype=float)
        if len(steps) < 2:
            draw.text((left + 6, top + 6), "losses appear after two updates", fill=(120, 120, 120))
            return image
        every = max(1, len(steps) // (right - left))  # about one point per pixel column
        curves = {name: np.asarray(history[name], dtype=float)[::every] for name in LOSS_COLOURS}
        steps = steps[::every]
        low = min(float(np.nanmin(c)) for c in curves.values())
        high = max(float(np.nanmax(c)) for c in curves.values())
        span = max(high - low, 1e-6)
        xs = left + (steps - steps[0]) / max(steps[-1] - steps[0], 1) * (right - left)
        for legend_x, (name, (label, colour)) in zip((left + 4, left + 100), LOSS_COLOURS.items(), strict=True):
            ys = bottom - (np.nan_to_num(curves[name], nan=low) - low) / span * (bottom - top)
            draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour, width=2)
            draw.text((legend_x, 3), label, fill=colour)
        draw.text((4, top - 4), f"{high:.3g}", fill=(90, 90, 90))
        draw.text((4, bottom - 8), f"{low:.3g}", fill=(90, 90, 90))
        draw.text((left, bottom + 4), f"step {int(steps[0])}", fill=(90, 90, 90))
        draw.text((right - 70, bottom + 4), f"step {int(steps[-1])}", fill=(90, 90, 90))
        return image

    def save(self, folder: str | Path) -> Path:
        """Write the generator (and critic) as a checkpoint folder the app and library load like any other."""
        s = self.settings
        recipe = f"toy-{s.objective}"
        config = {
            "kind": "generator",
            "recipe": recipe,
            "description": f"Trained live in the gandemo playground on {s.target}.",
            "model": self.config.to_dict(),
            "training": {**asdict(s), "steps": self.step, "command": "gandemo app: Playground tab"},
        }
        self.generator.eval()
        self.discriminator.eval()
        try:
            return save_checkpoint(folder, self.generator, config, discriminator=self.discriminator)
        finally:
            self.generator.train()
            self.discriminator.train()


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


MAX_ARCHIVE_BYTES = 64 << 20  # the widest, deepest playground networks come to about 7 MB


def save_archive(session: Playground, path: str | Path) -> Path:
    """Write the session as a checkpoint folder zipped to ``path`` (``<name>.zip`` holding ``<name>/``);
    the unzipped folder loads with :func:`gandemo.load_generator`. Returns the folder, kept beside the zip."""
    path = Path(path)
    folder = session.save(path.with_suffix(""))
    size = sum(p.stat().st_size for p in folder.iterdir())
    if size > MAX_ARCHIVE_BYTES:
        raise ValueError(f"this model is {size / 2**20:.0f} MB, over the {MAX_ARCHIVE_BYTES >> 20} MB a save may take")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"{folder.name}/{file.name}")
    return folder


class SessionLimiter:
    """At most ``capacity`` live playground sessions per server, so one visitor cannot starve the rest.

    A session nobody has used for ``idle_timeout_s`` (no request, no frame streamed to an open tab)
    stops training by itself, and its slot goes to the next visitor who needs one. A closed tab's
    session is closed at once (``close_owner``): Gradio would keep it for an hour otherwise.
    """

    def __init__(self, capacity: int = 4, *, idle_timeout_s: float = 60.0):
        self.capacity = capacity
        self.idle_timeout_s = idle_timeout_s
        self.live: dict[int, Playground] = {}
        self._by_owner: weakref.WeakValueDictionary[str, Playground] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def _make_room(self) -> None:  # callers hold self._lock
        idle = sorted((s for s in self.live.values() if s.idle_for() > self.idle_timeout_s), key=Playground.idle_for)
        while len(self.live) >= self.capacity and idle:
            self._drop(idle.pop())  # the longest idle first
        if len(self.live) >= self.capacity:
            raise ValueError(
                f"the playground is full ({self.capacity} visitors are training); a slot frees when one of them "
                f"leaves or has been idle for {self.idle_timeout_s:.0f} s: try again shortly"
            )

    def _drop(self, session: Playground) -> None:
        session.evicted = True
        session.pause()
        session.release()
        self.live.pop(id(session), None)

    def open(self, settings: PlaygroundSettings, *, owner: str | None = None, **options) -> Playground:
        with self._lock:
            self._make_room()
            session = Playground(settings, **options)
            session.idle_timeout_s = self.idle_timeout_s
            self.live[id(session)] = session
            if owner:
                self._by_owner[owner] = session
            return session

    def check(self, session: Playground | None) -> Playground:
        """A visitor's session, still holding its slot (marked as used now), or a ValueError saying why not."""
        if session is None:
            raise ValueError("press Reset or Play to start a session first")
        if session.evicted:
            raise ValueError(
                f"this session was idle for over {self.idle_timeout_s:.0f} s and its slot went to another visitor: "
                "press Reset to start a new one"
            )
        if session.closed:
            raise ValueError("this session was closed: press Reset to start a new one")
        session.touch()
        return session

    def close(self, session: Playground | None) -> None:
        """Stop a session and free its networks (Gradio keeps a closed tab's state for an hour)."""
        if session is not None:
            session.closed = True
            session.pause()
            with self._lock:
                self.live.pop(id(session), None)
            session.release()

    def close_owner(self, owner: str) -> None:
        """Close the session a visitor (e.g. a Gradio session hash) opened last: their tab has closed."""
        self.close(self._by_owner.pop(owner, None))

    def close_all(self) -> None:
        """Stop every training thread (at server shutdown)."""
        for session in list(self.live.values()):
            self.close(session)
