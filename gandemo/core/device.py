"""Resolve a device name ("auto", "cpu", "cuda", "mps") to a torch.device: the one place that does."""

from __future__ import annotations

import os
import platform

import torch


def on_zero_gpu() -> bool:
    """True on a ZeroGPU Space, where CUDA is only real inside a ``spaces.GPU`` call: the variable the
    ``spaces`` package reads, read as it reads it (the hosting code, ``gandemo.service.zerogpu``, asks here)."""
    return os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "t", "true")


def resolve_device(name: str | torch.device | None = "auto") -> torch.device:
    """Return the device for ``name``; ``auto`` (or None) picks CUDA, then MPS, then CPU; on ZeroGPU, where
    CUDA is only real inside a ``spaces.GPU`` call, the CPU (see ``gandemo.service.zerogpu``)."""
    if isinstance(name, torch.device):
        return name
    name = (name or "auto").lower()
    if on_zero_gpu() and name != "cpu":
        if name != "auto":
            raise ValueError(f"device {name!r} on ZeroGPU: its GPU exists only inside spaces.GPU calls; use cpu")
        return torch.device("cpu")
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was requested but CUDA is not available")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ValueError("device 'mps' was requested but MPS is not available")
    if name.split(":")[0] not in ("cpu", "cuda", "mps"):
        raise ValueError(f"unknown device {name!r}: use auto, cpu, cuda or mps")
    return torch.device(name)


def bf16_autocast_supported(device: torch.device) -> bool:
    """True where bfloat16 autocast runs natively: CUDA, and CPUs with bf16 instructions (AVX512-BF16, AMX)."""
    if device.type == "cuda":
        return True
    if device.type != "cpu" or not torch.backends.mkldnn.is_available():
        return False
    return torch.ops.mkldnn._is_mkldnn_bf16_supported()


def hardware_description(device: torch.device) -> str:
    """What a model card says a run trained on, e.g. "AMD EPYC (x86_64), 2 CPU threads"."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return f"Apple MPS ({platform.machine()})"
    cpu = platform.processor() or platform.machine()
    try:  # Linux names the CPU model here; platform.processor() is often empty or just the architecture
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    threads = torch.get_num_threads()
    return f"{cpu} ({platform.machine()}), {threads} CPU thread{'s' if threads != 1 else ''}"
