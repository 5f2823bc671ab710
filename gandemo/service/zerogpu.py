"""ZeroGPU, the hardware a free account's Gradio Space gets: a GPU exists only inside functions decorated with
``spaces.GPU``, and each call to one first waits for a GPU to be attached. gandemo's models are tiny and draw
faster on the CPU than an attach takes, so on ZeroGPU the app serves everything from the CPU (``auto`` picks
it, see ``device.resolve_device``) and decorates a single function (:func:`gpu_name`), because ZeroGPU only
starts a Space that has one. Elsewhere (CPU Basic, your own machine) nothing here changes anything."""

from __future__ import annotations

from ..core.device import on_zero_gpu


def gpu_name() -> str:
    """The GPU a ZeroGPU call borrows (the one decorated function); elsewhere, what this machine has."""
    import torch

    return torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU: gandemo draws on the CPU"


if on_zero_gpu():
    import spaces

    gpu_name = spaces.GPU(duration=10)(gpu_name)
