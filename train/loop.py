"""One training loop for every recipe: alternating discriminator/generator updates, EMA, timeline
grids, loss history, atomic resumable state, and the final checkpoint folder."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import signal
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from tqdm import tqdm

from gandemo.checkpoints import (
    TRAINING_FACTS,
    CheckpointError,
    atomic_write,
    load_checkpoint,
    save_checkpoint,
    write_history,
    write_timeline_image,
)
from gandemo.data import RING_CENTERS, sample_8gaussians
from gandemo.device import bf16_autocast_supported, hardware_description
from gandemo.models import ModelConfig, build_discriminator, build_generator
from gandemo.objectives import get_objective
from gandemo.plots import image_grid, toy_plot
from gandemo.sampling import latents, tile_seed
from gandemo.training import critic_warmup, gan_step, recalibrate_batchnorm

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


def train(
    model: ModelConfig, settings: Settings, run: Run, *, recipe: str, device, batches, resume=False, progress=True
):
    """Train ``model`` with ``settings``; returns the checkpoint folder. ``progress=False`` hides the bar."""
    s = settings
    torch.manual_seed(s.seed)  # weight init and dropout; everything else draws from per-step generators
    generator, discriminator = build_generator(model).to(device), build_discriminator(model).to(device)
    source = _load_initial_weights(run.init_from, model, generator, discriminator) if run.init_from else None
    if s.channels_last and model.arch == "dcgan":
        generator = generator.to(memory_format=torch.channels_last)
        discriminator = discriminator.to(memory_format=torch.channels_last)
    use_amp = s.amp and bf16_autocast_supported(device)
    if s.amp and not use_amp:
        print(f"--amp: no native bfloat16 on this {device.type}; training in float32")
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp)
    ema = copy.deepcopy(generator).eval().requires_grad_(False) if s.ema_decay else None
    ema_age = int(source.get("steps", 0)) if source else 0
    fused = device.type in ("cpu", "cuda")  # one kernel per optimizer step instead of one per tensor
    opt_g = torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(s.beta1, s.beta2), fused=fused)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(s.beta1, s.beta2), fused=fused)
    generator_params = list(generator.parameters())
    ema_params = list(ema.parameters()) if ema is not None else []
    history: dict[str, list] = {"step": [], "d_loss": [], "g_loss": []}
    if get_objective(s.objective).gradient_penalty:
        history["gradient_penalty"] = []
    start, elapsed = 0, 0.0
    state_path = run.run_dir / STATE_NAME

    def set_rates(step: int) -> None:  # a function of the step alone, so a resumed run decays identically
        for opt, lr in ((opt_g, s.g_lr), (opt_d, s.d_lr)):
            opt.param_groups[0].update(lr=lr * learning_rate_scale(step, s), betas=(s.beta1, s.beta2))

    if resume:
        if not state_path.is_file():
            raise CheckpointError(f"--resume: no saved state at {state_path}")
        state = torch.load(state_path, map_location=device, weights_only=True)
        generator.load_state_dict(state["generator"])
        discriminator.load_state_dict(state["discriminator"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        if ema is not None:  # a run resumed with EMA newly enabled starts the average at the current weights
            ema.load_state_dict(state["ema"] if "ema" in state else generator.state_dict())
        torch.set_rng_state(state["rng_cpu"].cpu())
        if "rng_cuda" in state and torch.cuda.is_available():
            torch.cuda.set_rng_state(state["rng_cuda"].cpu())
        start, elapsed = int(state["step"]), float(state["elapsed"])
        history = json.loads(state["history"])
        set_rates(start)  # the loaded optimizer states carry the old run's rates and betas, not the flags

    def save_state(step: int) -> None:
        state = {
            "generator": generator.state_dict(),
            "discriminator": discriminator.state_dict(),
            "opt_g": opt_g.state_dict(),
            "opt_d": opt_d.state_dict(),
            "step": step,
            "elapsed": elapsed + time.perf_counter() - t0,
            "history": json.dumps(history),
            "rng_cpu": torch.get_rng_state(),
        }
        if ema is not None:
            state["ema"] = ema.state_dict()
        if device.type == "cuda":
            state["rng_cuda"] = torch.cuda.get_rng_state()
        buffer = io.BytesIO()
        torch.save(state, buffer)
        atomic_write(state_path, buffer.getvalue())

    fixed_n = 40 if model.num_classes else (64 if model.data == "mnist" else 1000)
    fixed_z = latents(s.seed, fixed_n, model.latent_dim).to(device)  # the timeline's fixed noise
    fixed_labels = (torch.arange(fixed_n) % model.num_classes).to(device) if model.num_classes else None
    sample_every = s.sample_every or max(1, s.steps // 24)
    images_per_step = s.batch_size * s.critic_steps
    t0 = time.perf_counter()
    if s.critic_warmup and not resume:
        print(f"critic warm-up: {s.critic_warmup} critic updates against the initial generator")
        data_rng = torch.Generator().manual_seed(tile_seed(s.seed + 2, 0))  # the toy's ring draws
        try:
            critic_warmup(
                generator,
                discriminator,
                opt_d,
                lambda i: batches(i, s.batch_size, data_rng),
                s.critic_warmup,
                objective=s.objective,
                gp_weight=s.gp_weight,
                seed=s.seed + 3,
                autocast=autocast,
            )
        except KeyboardInterrupt:
            raise SystemExit("\nstopped during the critic warm-up; nothing was saved, so run it again") from None
        save_state(0)
    with _stop_between_steps() as stop_requested:
        bar = tqdm(
            range(start, s.steps),
            initial=start,
            total=s.steps,
            desc=recipe,
            unit="step",
            dynamic_ncols=True,
            disable=not progress,
        )
        step = start
        try:
            for step in bar:
                if stop_requested.is_set():  # the steps before this one are complete
                    save_state(step)
                    bar.close()
                    print(f"stopped before step {step}; state saved to {state_path}; continue with --resume")
                    raise SystemExit(130)
                rng = torch.Generator().manual_seed(tile_seed(s.seed + 1, step))
                if s.lr_decay:
                    set_rates(step)
                out = gan_step(
                    generator,
                    discriminator,
                    opt_g,
                    opt_d,
                    lambda c: batches(step * s.critic_steps + c, s.batch_size, rng),  # noqa: B023 (called at once)
                    objective=s.objective,
                    critic_steps=s.critic_steps,
                    gp_weight=s.gp_weight,
                    top_k=s.top_k if step >= s.top_k_start else 1.0,
                    rng=rng,
                    autocast=autocast,
                )
                if ema is not None:
                    with torch.no_grad():
                        decay = ema_decay_at(step, s, ema_age)
                        torch._foreach_lerp_(ema_params, generator_params, 1 - decay)
                        for b_ema, b in zip(ema.buffers(), generator.buffers(), strict=True):
                            b_ema.copy_(b)
                done = step + 1
                if done % 10 == 0 or done == s.steps:
                    history["step"].append(done)
                    for key, value in out.items():
                        history[key].append(round(value.item(), 5))
                    rate = (done - start) * images_per_step / max(time.perf_counter() - t0, 1e-9)
                    bar.set_postfix(
                        d=f"{out['d_loss'].item():.3f}", g=f"{out['g_loss'].item():.3f}", img_s=f"{rate:.0f}"
                    )
                if done % sample_every == 0 or done == s.steps:
                    picture = _timeline_image(ema if ema is not None else generator, model, fixed_z, fixed_labels)
                    write_timeline_image(run.out_dir, done, picture)
                if done % s.checkpoint_every == 0 and done < s.steps:
                    save_state(done)
        except KeyboardInterrupt:  # the second Ctrl-C, inside a step: what it changed is not saved
            bar.close()
            print(f"\nstopped during step {step}; {state_path} keeps the last saved step; continue with --resume")
            raise SystemExit(130) from None
    bar.close()
    save_state(s.steps)
    final = ema if ema is not None else generator
    if ema is not None:  # the average's own BatchNorm statistics (it carried the live generator's)
        recalibrate_batchnorm(ema, seed=s.seed)
    wall = elapsed + time.perf_counter() - t0
    write_history(run.out_dir, history)
    config = {
        "kind": "generator",
        "recipe": recipe,
        "description": run.description,
        "model": model.to_dict(),
        "training": {
            **asdict(s),
            "command": run.command,
            "images_seen": s.steps * images_per_step,
            "wall_time_s": round(wall, 1),
            "hardware": hardware_description(device),
            "device": device.type if device.type != "cuda" else torch.cuda.get_device_name(device),
            "torch_version": torch.__version__,
        },
    }
    if source is not None:
        config["training"]["init_from"] = source
    final = final.eval()
    samples = _timeline_image(final, model, fixed_z, fixed_labels)
    critic = discriminator.eval() if model.data == "8gaussians" else None  # the app draws its map
    save_checkpoint(run.out_dir, final, config, samples=samples, discriminator=critic)
    return run.out_dir
