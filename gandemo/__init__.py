"""gandemo: train small GANs offline and show them in a Gradio app.

import gandemo
generator = gandemo.load_generator("checkpoints/dcgan")
images = gandemo.sample(generator, 16, seed=7)        # (16, 1, 28, 28) in [-1, 1]
picture = gandemo.grid(generator, rows=8, cols=8, seed=7)
"""

__version__ = "0.1.0"

from .checkpoints import (  # noqa: E402
    Checkpoint,
    CheckpointError,
    list_checkpoints,
    load_checkpoint,
    load_classifier,
    load_generator,
    read_config,
    save_checkpoint,
)
from .data import DataError, load_mnist  # noqa: E402
from .device import resolve_device  # noqa: E402
from .models import ModelConfig, build_discriminator, build_generator  # noqa: E402
from .sampling import frames_to_gif, grid, interpolate, label_sweep, latents, sample  # noqa: E402

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "DataError",
    "ModelConfig",
    "__version__",
    "build_discriminator",
    "build_generator",
    "frames_to_gif",
    "grid",
    "interpolate",
    "label_sweep",
    "latents",
    "list_checkpoints",
    "load_checkpoint",
    "load_classifier",
    "load_generator",
    "load_mnist",
    "read_config",
    "resolve_device",
    "sample",
    "save_checkpoint",
]
