"""One training loop for every recipe: alternating discriminator/generator updates, EMA, timeline
grids, loss history, atomic resumable state, and the final checkpoint folder."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import signal
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from tqdm import tqdm

from gandemo.core.checkpoints import (
    TRAINING_FACTS,
    load_checkpoint,
    save_checkpoint,
    write_history,
    write_timeline_image,
)
from gandemo.core.data import RING_CENTERS, sample_8gaussians
from gandemo.core.device import bf16_autocast_supported, hardware_description
from gandemo.core.models import ModelConfig, build_discriminator, build_generator
from gandemo.core.objectives import get_objective
from gandemo.core.plots import image_grid, toy_plot
from gandemo.core.sampling import latents, tile_seed
from gandemo.core.train_state import TrainState
from gandemo.core.training import critic_warmup, gan_step, recalibrate_batchnorm

from .recipes import Settings

STATE_NAME = "training_state.pt"


@dataclass
class Run:
    """Where a run writes: the checkpoint folder (shipped) and the run folder (resume state, not shipped)."""

    out_dir: Path
    run_dir: Path
    command: str = ""
    description: str = ""
    init_from: Path | None = None  # a checkpoint folder whose generator (and critic, if saved) the run starts from


class Budget:
    """A wall-clock budget (``--minutes``): the steps that fit it, re-estimated from the measured rate as
    the run goes, with the rate decay and top-k starting at the same shares of the run as in ``settings``."""

    REPLAN_EVERY = 20  # steps

    def __init__(self, settings: Settings):
        self.seconds = settings.minutes * 60
        self.decay_share = settings.lr_decay_start / max(1, settings.steps)
        self.top_k_share = settings.top_k_start / max(1, settings.steps)

    def start(self, s: Settings) -> Settings:
        """Until the first rate is measured: no end, so no decay and no top-k yet."""
        never = 10**12
        return dataclasses.replace(s, steps=never, lr_decay_start=never, top_k_start=never)

    def fit(self, s: Settings, done: int, spent: float, rate: float) -> Settings:
        """Settings whose steps end when the time does, at ``rate`` steps/s from ``done`` steps and ``spent`` s."""
        steps = max(done + 1, done + round(rate * max(0.0, self.seconds - spent)))
        return dataclasses.replace(
            s,
            steps=steps,
            lr_decay_start=round(self.decay_share * steps),
            top_k_start=round(self.top_k_share * steps),
        )


def learning_rate_scale(step: int, s: Settings) -> float:
    """The factor on both learning rates at ``step``: 1 until ``lr_decay_start``, then linear to 0 at the end."""
    if not s.lr_decay or step < s.lr_decay_start:
        return 1.0
    return 1 - (step - s.lr_decay_start) / max(1, s.steps - s.lr_decay_start)


def ema_decay_at(step: int, s: Settings, age: int = 0) -> float:
    """The average's decay at ``step``. Early on it forgets quickly, so random initial weights wash out even
    at 0.9999 (whose plain form would still hold 3% of them after 35,000 steps). ``age`` counts the steps
    behind the starting weights: a run that starts from a trained generator (``--init-from``, whose weights
    are already an average) continues the warm-up where that run left it instead of forgetting them."""
    return min(s.ema_decay, (1 + age + step) / (10 + age + step))


@contextlib.contextmanager
def _stop_between_steps():
    """While training, Ctrl-C (SIGINT) asks the loop to stop before its next step instead of inside one: a
    state saved mid-step would hold half an update, and the resumed run would differ from an uninterrupted
    one. A second Ctrl-C stops at once and keeps the last whole-step state. Yields the request flag."""
    requested = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only the main thread receives signals
        yield requested
        return

    def on_interrupt(signum, frame):
        if requested.is_set():
            raise KeyboardInterrupt
        requested.set()
        print("\nCtrl-C: stopping after this step (press it again to stop at once)", flush=True)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield requested
    finally:
        signal.signal(signal.SIGINT, previous)


def _timeline_image(generator, model: ModelConfig, z: torch.Tensor, labels):
    with torch.no_grad():
        was_training = generator.training
        generator.eval()
        samples = generator(z, labels).float().cpu()
        generator.train(was_training)
    if model.data == "mnist":
        return image_grid(samples, cols=10 if model.num_classes else 8, scale=2)
    real = sample_8gaussians(1000, generator=torch.Generator().manual_seed(0))
    return toy_plot(real, samples, centers=RING_CENTERS, size=4.0)


def _load_initial_weights(folder: Path, model: ModelConfig, generator, discriminator) -> dict:
    """Start from a checkpoint folder's generator, and its critic when it saved one; the networks must match.
    Returns what the new card records about the starting point."""
    source = load_checkpoint(folder, device=next(generator.parameters()).device)
    if source.generator.config != model:
        raise SystemExit(
            f"--init-from {folder}: its network differs from this run's: {source.generator.config} vs {model}"
        )
    generator.load_state_dict(source.generator.state_dict())
    critic = source.discriminator()
    if critic is not None:
        discriminator.load_state_dict(critic.state_dict())
    training = source.config.get("training", {})
    return {"folder": str(folder), **{key: training[key] for key in ("command", *TRAINING_FACTS) if key in training}}


def _build_state(model: ModelConfig, s: Settings, run: Run, device) -> tuple[TrainState, dict | None]:
    """Fresh networks (or a checkpoint's, ``--init-from``) and their optimizers; also what the card records
    about the starting checkpoint."""
    torch.manual_seed(s.seed)  # weight init and dropout; everything else draws from per-step generators
    generator, discriminator = build_generator(model).to(device), build_discriminator(model).to(device)
    source = _load_initial_weights(run.init_from, model, generator, discriminator) if run.init_from else None
    if s.channels_last and model.arch == "dcgan":
        generator = generator.to(memory_format=torch.channels_last)
        discriminator = discriminator.to(memory_format=torch.channels_last)
    ema = copy.deepcopy(generator).eval().requires_grad_(False) if s.ema_decay else None
    fused = device.type in ("cpu", "cuda")  # one kernel per optimizer step instead of one per tensor
    opt_g = torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(s.beta1, s.beta2), fused=fused)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(s.beta1, s.beta2), fused=fused)
    state = TrainState(generator, discriminator, opt_g, opt_d, ema)
    if get_objective(s.objective).gradient_penalty:
        state.history["gradient_penalty"] = []
    return state, source


def _set_rates(state: TrainState, step: int, s: Settings) -> None:
    """Both learning rates (and the betas) at ``step``: a function of the step alone, so a resumed run
    decays identically (a loaded optimizer carries the old run's rates and betas, not the flags)."""
    for opt, lr in ((state.opt_g, s.g_lr), (state.opt_d, s.d_lr)):
        opt.param_groups[0].update(lr=lr * learning_rate_scale(step, s), betas=(s.beta1, s.beta2))


def _autocast(s: Settings, device):
    use_amp = s.amp and bf16_autocast_supported(device)
    if s.amp and not use_amp:
        print(f"--amp: no native bfloat16 on this {device.type}; training in float32")
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp)


def _warm_up_critic(state: TrainState, s: Settings, batches, autocast) -> None:
    print(f"critic warm-up: {s.critic_warmup} critic updates against the initial generator")
    data_rng = torch.Generator().manual_seed(tile_seed(s.seed + 2, 0))  # the toy's ring draws
    try:
        critic_warmup(
            state.generator,
            state.discriminator,
            state.opt_d,
            lambda i: batches(i, s.batch_size, data_rng),
            s.critic_warmup,
            objective=s.objective,
            gp_weight=s.gp_weight,
            seed=s.seed + 3,
            autocast=autocast,
        )
    except KeyboardInterrupt:
        raise SystemExit("\nstopped during the critic warm-up; nothing was saved, so run it again") from None


class _Timeline:
    """The fixed noise the timeline grids (and the final samples.png) are drawn from."""

    def __init__(self, model: ModelConfig, s: Settings, device):
        n = 40 if model.num_classes else (64 if model.data == "mnist" else 1000)
        self.model, self.every = model, s.sample_every or max(1, min(s.steps // 24, 10**6))
        self.z = latents(s.seed, n, model.latent_dim).to(device)
        self.labels = (torch.arange(n) % model.num_classes).to(device) if model.num_classes else None

    def picture(self, generator):
        return _timeline_image(generator, self.model, self.z, self.labels)


def train(
    model: ModelConfig, settings: Settings, run: Run, *, recipe: str, device, batches, resume=False, progress=True
):
    """Train ``model`` with ``settings``; returns the checkpoint folder. ``progress=False`` hides the bar."""
    s = settings
    budget = Budget(s) if s.minutes else None
    if budget:
        s = budget.start(s)
    state, source = _build_state(model, s, run, device)
    autocast = _autocast(s, device)
    state_path = run.run_dir / STATE_NAME
    if resume:
        state.load(state_path, device=device)
        _set_rates(state, state.step, s)
    timeline = _Timeline(model, s, device)
    t0 = time.perf_counter()

    def save_state() -> None:
        state.save(state_path, elapsed=state.elapsed + time.perf_counter() - t0)

    if s.critic_warmup and not resume:
        _warm_up_critic(state, s, batches, autocast)
        save_state()
    ema_age = int(source.get("steps", 0)) if source else 0
    s = _run_steps(
        state,
        s,
        batches,
        autocast,
        timeline,
        run,
        save_state,
        recipe=recipe,
        ema_age=ema_age,
        progress=progress,
        budget=budget,
    )
    state.step = s.steps
    save_state()
    if state.ema is not None:  # the average's own BatchNorm statistics (it carried the live generator's)
        recalibrate_batchnorm(state.ema, seed=s.seed)
    wall = state.elapsed + time.perf_counter() - t0
    write_history(run.out_dir, state.history)
    _write_checkpoint(state, model, s, run, recipe=recipe, device=device, wall=wall, source=source, timeline=timeline)
    return run.out_dir


def _one_step(state: TrainState, s: Settings, batches, autocast, step: int, ema_age) -> dict:
    """Training step ``step``: its learning rates, one GAN update from its own seeded draws, the average."""
    rng = torch.Generator().manual_seed(tile_seed(s.seed + 1, step))
    if s.lr_decay:
        _set_rates(state, step, s)
    out = gan_step(
        state.generator,
        state.discriminator,
        state.opt_g,
        state.opt_d,
        lambda c: batches(step * s.critic_steps + c, s.batch_size, rng),
        objective=s.objective,
        critic_steps=s.critic_steps,
        gp_weight=s.gp_weight,
        top_k=s.top_k if step >= s.top_k_start else 1.0,
        rng=rng,
        autocast=autocast,
    )
    state.update_average(ema_decay_at(step, s, ema_age))
    return out


def _run_steps(
    state: TrainState,
    s: Settings,
    batches,
    autocast,
    timeline,
    run,
    save_state,
    *,
    recipe,
    ema_age,
    progress,
    budget: Budget | None = None,
) -> Settings:
    """The loop: one GAN update per step, then the periodic jobs (history, timeline, resumable state).
    Returns the settings the run ended with: under a budget (``s.minutes``), its steps are those that fit."""
    start, t0 = state.step, time.perf_counter()
    images_per_step = s.batch_size * s.critic_steps
    with _stop_between_steps() as stop_requested:
        total = None if budget else s.steps  # a budget's total is known once the rate is measured
        bar = tqdm(total=total, initial=start, desc=recipe, unit="step", disable=not progress, dynamic_ncols=True)
        step = start
        try:
            while step < s.steps:
                if stop_requested.is_set():  # the steps before this one are complete
                    state.step = step
                    save_state()
                    bar.close()
                    print(f"stopped before step {step}; state saved in {run.run_dir}; continue with --resume")
                    raise SystemExit(130)
                if budget and (step - start) % Budget.REPLAN_EVERY == 0 and step > start:
                    spent_here = time.perf_counter() - t0
                    s = budget.fit(s, step, state.elapsed + spent_here, (step - start) / spent_here)
                    timeline.every = s.sample_every or max(1, s.steps // 24)
                    bar.total = s.steps
                if budget and state.elapsed + time.perf_counter() - t0 >= budget.seconds:
                    s = dataclasses.replace(s, steps=step)  # time is up: the run ends here
                    break
                out = _one_step(state, s, batches, autocast, step, ema_age)
                state.step = done = step = step + 1
                bar.update(1)
                if done % 10 == 0 or done == s.steps:
                    state.record(done, out)
                    rate = (done - start) * images_per_step / max(time.perf_counter() - t0, 1e-9)
                    bar.set_postfix(
                        d=f"{out['d_loss'].item():.3f}", g=f"{out['g_loss'].item():.3f}", img_s=f"{rate:.0f}"
                    )
                if done % timeline.every == 0 or done == s.steps:
                    write_timeline_image(run.out_dir, done, timeline.picture(state.final_generator))
                if done % s.checkpoint_every == 0 and done < s.steps:
                    save_state()
        except KeyboardInterrupt:  # the second Ctrl-C, inside a step: what it changed is not saved
            bar.close()
            print(f"\nstopped during step {step}; {run.run_dir} keeps the last saved step; continue with --resume")
            raise SystemExit(130) from None
    bar.close()
    if budget and state.step and state.step % timeline.every:  # the last picture, where the time ran out
        write_timeline_image(run.out_dir, state.step, timeline.picture(state.final_generator))
    return s


def _write_checkpoint(state: TrainState, model, s: Settings, run: Run, *, recipe, device, wall, source, timeline):
    """The checkpoint folder: the final generator, its config with the run's facts, samples and card."""
    config = {
        "kind": "generator",
        "recipe": recipe,
        "description": run.description,
        "model": model.to_dict(),
        "training": {
            **asdict(s),
            "command": run.command,
            "images_seen": s.steps * s.batch_size * s.critic_steps,
            "wall_time_s": round(wall, 1),
            "hardware": hardware_description(device),
            "device": device.type if device.type != "cuda" else torch.cuda.get_device_name(device),
            "torch_version": torch.__version__,
        },
    }
    if source is not None:
        config["training"]["init_from"] = source
    final = state.final_generator.eval()
    critic = state.discriminator.eval() if model.data == "8gaussians" else None  # the app draws its map
    save_checkpoint(run.out_dir, final, config, samples=timeline.picture(final), discriminator=critic)
