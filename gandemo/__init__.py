"""gandemo: train small GANs offline and show them in a Gradio app.

import gandemo
generator = gandemo.load_generator("checkpoints/dcgan")
images = gandemo.sample(generator, 16, seed=7)        # (16, 1, 28, 28) in [-1, 1]
picture = gandemo.grid(generator, rows=8, cols=8, seed=7)

Its folders are its layers, each importing only from those before it (tests/test_layers.py): core/ (the library),
measures/ (scores, latent directions, the digit map), service/ (what the app's server draws and how it serves it),
ui/ (the Gradio tabs), then the commands here (python -m gandemo.evaluate, .static, .deploy); web/ is the browser's.
"""

__version__ = "0.1.0"

import importlib

# The public names and the module each lives in, imported on first use (PEP 562): importing gandemo, or a
# light module such as gandemo.core.settings, loads neither torch nor anything else it does not need.
_EXPORTS = {
    "core.checkpoints": (
        "Checkpoint",
        "CheckpointError",
        "list_checkpoints",
        "load_checkpoint",
        "load_classifier",
        "load_generator",
        "read_config",
        "save_checkpoint",
    ),
    "core.data": ("DataError", "load_mnist"),
    "core.device": ("resolve_device",),
    "core.models": ("ModelConfig", "build_discriminator", "build_generator"),
    "core.sampling": ("frames_to_gif", "grid", "interpolate", "label_sweep", "latents", "sample"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    else:  # a submodule, as ``gandemo.core`` after ``import gandemo``
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


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
