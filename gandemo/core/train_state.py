"""Everything a GAN run is at one step: both networks, both optimizers, the weight average, the step, the
loss history and the time spent, with ``save``/``load`` for exact resumption (random state included)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from .checkpoints import CheckpointError, atomic_write


@dataclass
class TrainState:
    generator: nn.Module
    discriminator: nn.Module
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    ema: nn.Module | None = None  # the generator's weight average, when the run keeps one
    step: int = 0  # generator updates done
    elapsed: float = 0.0  # seconds spent training before this process took over
    history: dict[str, list] = field(default_factory=lambda: {"step": [], "d_loss": [], "g_loss": []})

    @torch.no_grad()
    def update_average(self, decay: float) -> None:
        """ema <- decay * ema + (1 - decay) * generator; buffers (BatchNorm statistics) are copied."""
        if self.ema is None:
            return
        torch._foreach_lerp_(list(self.ema.parameters()), list(self.generator.parameters()), 1 - decay)
        for averaged, live in zip(self.ema.buffers(), self.generator.buffers(), strict=True):
            averaged.copy_(live)

    def record(self, step: int, losses: dict[str, torch.Tensor]) -> None:
        """Append one point of the loss history (rounded: it is for plots)."""
        self.history["step"].append(step)
        for key, value in losses.items():
            self.history.setdefault(key, []).append(round(value.item(), 5))

    @property
    def final_generator(self) -> nn.Module:
        """What the run ships: the weight average when it keeps one, else the live generator."""
        return self.ema if self.ema is not None else self.generator

    def save(self, path: str | Path, *, elapsed: float) -> None:
        """Write the whole state atomically (a kill never leaves half a file), with the random state."""
        state = {
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "step": self.step,
            "elapsed": elapsed,
            "history": json.dumps(self.history),
            "rng_cpu": torch.get_rng_state(),
        }
        if self.ema is not None:
            state["ema"] = self.ema.state_dict()
        if next(self.generator.parameters()).device.type == "cuda":
            state["rng_cuda"] = torch.cuda.get_rng_state()
        buffer = io.BytesIO()
        torch.save(state, buffer)
        atomic_write(path, buffer.getvalue())

    def load(self, path: str | Path, *, device: torch.device) -> None:
        """Restore a saved state in place, the global random state included (it drives dropout)."""
        path = Path(path)
        if not path.is_file():
            raise CheckpointError(f"--resume: no saved state at {path}")
        state = torch.load(path, map_location=device, weights_only=True)
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        if self.ema is not None:  # a run resumed with the average newly enabled starts it at the live weights
            self.ema.load_state_dict(state["ema"] if "ema" in state else self.generator.state_dict())
        torch.set_rng_state(state["rng_cpu"].cpu())
        if "rng_cuda" in state and torch.cuda.is_available():
            torch.cuda.set_rng_state(state["rng_cuda"].cpu())
        self.step, self.elapsed = int(state["step"]), float(state["elapsed"])
        self.history = json.loads(state["history"])
