"""Generator and discriminator architectures, built from a ModelConfig alone.

Two families cover the six recipes: ``mlp`` (GAN, CGAN, the 2-D toys) and ``dcgan``
(DCGAN and the WGAN-GP critic, which drops BatchNorm because the penalty is per sample).
Every generator is ``forward(z, labels=None) -> samples``; every discriminator returns
scores of shape ``(B,)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import torch
from torch import nn

DATA_SHAPES = {"mnist": (1, 28, 28), "8gaussians": (2,)}
REQUIRED_KEYS = ("arch", "data", "latent_dim")  # what a saved config must state: no default stands in for them


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild both networks of a recipe."""

    arch: str = "mlp"  # "mlp" or "dcgan"
    data: str = "mnist"  # "mnist" or "8gaussians"
    latent_dim: int = 64
    num_classes: int = 0  # 0: unconditional; 10: one label per MNIST digit
    g_hidden: tuple[int, ...] = (256, 256)  # MLP widths, or DCGAN channels at 7x7 and 14x14
    d_hidden: tuple[int, ...] = (256, 256)
    activation: str = "leaky_relu"  # "leaky_relu" (0.2) or "relu"
    g_batchnorm: bool = False
    d_norm: str = "none"  # DCGAN discriminator: "batch" or "none"
    d_dropout: float = 0.0
    embed_dim: int = 10  # label embedding size for conditional models
    d_pack: int = 1  # PacGAN (Lin et al., 2018): the MLP discriminator judges packs of this many samples
    # DCGAN only, as in InfoGAN's MNIST networks: a fully connected hidden layer of this width between the
    # latent and the 7x7 projection (generator) and between the 7x7 features and the score (discriminator)
    g_fc: int = 0
    d_fc: int = 0

    @property
    def data_shape(self) -> tuple[int, ...]:
        return DATA_SHAPES[self.data]

    @property
    def data_dim(self) -> int:
        return int(torch.Size(self.data_shape).numel())

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict) -> ModelConfig:
        missing = [key for key in REQUIRED_KEYS if key not in values]
        if missing:  # a default here would build some network, silently not the one that was saved
            raise ValueError(f"the 'model' section lacks {', '.join(repr(k) for k in missing)}")
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown model settings {sorted(unknown)}")
        for key, value in values.items():
            _check_field(key, value)
        converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        config = cls(**converted)
        config.validate()
        return config

    def validate(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"unknown architecture {self.arch!r} (known: {sorted(ARCHITECTURES)})")
        if self.data not in DATA_SHAPES:
            raise ValueError(f"unknown data {self.data!r} (known: {sorted(DATA_SHAPES)})")
        if self.arch == "dcgan" and (self.data != "mnist" or len(self.g_hidden) != 2):
            raise ValueError("the dcgan architecture needs data='mnist' and two g_hidden channel counts")
        if self.arch != "dcgan" and (self.g_fc or self.d_fc):
            raise ValueError("g_fc and d_fc apply to the dcgan architecture (the mlp's widths are g_hidden/d_hidden)")
        if self.d_norm not in ("batch", "none") or self.activation not in ("leaky_relu", "relu"):
            raise ValueError(
                f"d_norm must be batch or none and activation leaky_relu or relu, got {self.d_norm!r}, "
                f"{self.activation!r}"
            )
        if not 0 <= self.d_dropout < 1:
            raise ValueError(f"d_dropout must be in [0, 1), got {self.d_dropout}")
        if self.latent_dim < 1 or self.num_classes < 0:
            raise ValueError("latent_dim must be >= 1 and num_classes >= 0")


# What a saved config may ask for, checked before anything is built: a network's size is the config's to say,
# and a width of 10**9 would ask for terabytes (the shipped models use at most 1,024 units and 64 latents).
MAX_UNITS = 8192  # a layer's width or channels
MAX_LAYERS = 16
FIELD_RANGES = {"latent_dim": (1, 4096), "num_classes": (0, 1000), "embed_dim": (1, 4096), "d_pack": (1, 64)}
FIELD_RANGES |= {"g_fc": (0, MAX_UNITS), "d_fc": (0, MAX_UNITS)}


def _check_field(key: str, value) -> None:
    """One field of a saved config's 'model' section: its type and size, as a sentence naming the field."""
    kind = {f.name: f.type for f in fields(ModelConfig)}[key]
    if kind == "str" and not isinstance(value, str):
        raise ValueError(f"model.{key} must be text, got {_short(value)}")
    if kind == "bool" and not isinstance(value, bool):
        raise ValueError(f"model.{key} must be true or false, got {_short(value)}")
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"model.{key} must be a number, got {_short(value)}")
    if kind == "int":
        low, high = FIELD_RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"model.{key} must be a whole number from {low:,} to {high:,}, got {_short(value)}")
    if kind.startswith("tuple"):
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_LAYERS:
            raise ValueError(f"model.{key} must be a list of 1 to {MAX_LAYERS} widths, got {_short(value)}")
        for width in value:
            if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_UNITS:
                raise ValueError(f"model.{key} must hold whole numbers from 1 to {MAX_UNITS:,}, got {_short(width)}")


def _short(value) -> str:
    text = repr(value) if not isinstance(value, int) or value.bit_length() < 256 else "a huge number"
    return text if len(text) <= 40 else text[:37] + "..."


class Dropout(nn.Dropout):
    """``nn.Dropout`` whose CPU masks come from ``torch.rand``, which draws uniform numbers 2-3x faster than the
    ``bernoulli_`` that ``nn.Dropout`` calls there (masks took 14-23% of a discriminator-with-dropout training
    step); the same distribution, and the same seeded global RNG. Elsewhere, and in eval mode, ``nn.Dropout``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or x.device.type != "cpu" or not 0 < self.p < 1:
            return super().forward(x)
        keep = torch.rand_like(x, dtype=torch.float32).ge_(self.p).mul_(1 / (1 - self.p))  # 0 or 1/(1-p)
        return x * keep.to(x.dtype)


def _activation(name: str) -> nn.Module:
    if name == "leaky_relu":
        return nn.LeakyReLU(0.2)
    if name == "relu":
        return nn.ReLU()
    raise ValueError(f"unknown activation {name!r}")


class _LabelJoin(nn.Module):
    """Concatenates a learned label embedding to a flat input (identity when unconditional)."""

    def __init__(self, num_classes: int, embed_dim: int):
        super().__init__()
        self.embed = nn.Embedding(num_classes, embed_dim) if num_classes else None

    @property
    def extra_dim(self) -> int:
        return self.embed.embedding_dim if self.embed is not None else 0

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        if self.embed is None:
            if labels is not None:
                raise ValueError("this model is unconditional: do not pass labels")
            return x
        if labels is None:
            raise ValueError("this model is conditional: pass one label per sample")
        return torch.cat([x, self.embed(labels)], dim=1)


class MLPGenerator(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.join = _LabelJoin(config.num_classes, config.embed_dim)
        layers: list[nn.Module] = []
        width = config.latent_dim + self.join.extra_dim
        for i, hidden in enumerate(config.g_hidden):
            layers.append(nn.Linear(width, hidden))
            if config.g_batchnorm and i > 0:  # no BatchNorm on the first block (DCGAN paper)
                layers.append(nn.BatchNorm1d(hidden))
            layers.append(_activation(config.activation))
            width = hidden
        layers.append(nn.Linear(width, config.data_dim))
        if config.data == "mnist":
            layers.append(nn.Tanh())  # images live in [-1, 1]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        x = self.net(self.join(z, labels))  # (B, data_dim)
        return x.view(-1, *self.config.data_shape)


class MLPDiscriminator(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        if config.d_pack > 1 and config.num_classes:
            raise ValueError("packing (d_pack > 1) is for unconditional models")
        self.pack = config.d_pack
        self.join = _LabelJoin(config.num_classes, config.embed_dim)
        layers: list[nn.Module] = []
        width = config.data_dim * self.pack + self.join.extra_dim
        for hidden in config.d_hidden:
            layers += [nn.Linear(width, hidden), _activation(config.activation)]
            if config.d_dropout:
                layers.append(Dropout(config.d_dropout))
            width = hidden
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """Scores of shape (B,), or (B / pack,) for packed discriminators (B must divide evenly)."""
        flat = x.flatten(1)
        if self.pack > 1:
            flat = flat.reshape(-1, self.pack * flat.shape[1])  # (B / pack, pack * data_dim)
        return self.net(self.join(flat, labels)).squeeze(1)

    def point_scores(self, x: torch.Tensor) -> torch.Tensor:
        """One score per sample (B,): a packed discriminator judges a pack of copies of each sample."""
        return self(x.repeat_interleave(self.pack, dim=0)) if self.pack > 1 else self(x)


class DCGANGenerator(nn.Module):
    """z -> 7x7 -> 14x14 -> 28x28 with stride-2 transposed convolutions.

    A 4x4/stride-2 transposed convolution costs about 2.25x fewer multiply-adds than
    nearest upsampling followed by a 3x3 convolution at the output size, and with
    BatchNorm it shows no visible checkerboard on MNIST, so on a CPU it is the better buy.
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.join = _LabelJoin(config.num_classes, config.embed_dim)
        c7, c14 = config.g_hidden
        width = config.latent_dim + self.join.extra_dim
        fc: list[nn.Module] = []
        if config.g_fc:  # only when asked, so the saved weight names of other models stay put
            fc = [nn.Linear(width, config.g_fc, bias=False), nn.BatchNorm1d(config.g_fc), nn.ReLU()]
            width = config.g_fc
        self.project = nn.Sequential(
            *fc,
            nn.Linear(width, c7 * 7 * 7, bias=False),
            nn.BatchNorm1d(c7 * 7 * 7),
            nn.ReLU(),
        )
        self.c7 = c7
        self.net = nn.Sequential(
            nn.ConvTranspose2d(c7, c14, 4, 2, 1, bias=False),  # (B, c14, 14, 14)
            nn.BatchNorm2d(c14),
            nn.ReLU(),
            nn.ConvTranspose2d(c14, 1, 4, 2, 1),  # (B, 1, 28, 28)
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        h = self.project(self.join(z, labels)).view(-1, self.c7, 7, 7)  # (B, c7, 7, 7)
        return self.net(h)


class DCGANDiscriminator(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        if config.num_classes:
            raise ValueError("the dcgan discriminator is unconditional; use the mlp arch for labels")
        c14, c7 = config.d_hidden
        norm: nn.Module = nn.BatchNorm2d(c7) if config.d_norm == "batch" else nn.Identity()

        # dropout only where asked, so the layer indices (and saved weight names) of other models stay put
        def dropout() -> list[nn.Module]:
            return [Dropout(config.d_dropout)] if config.d_dropout else []

        width = c7 * 7 * 7
        fc: list[nn.Module] = []
        if config.d_fc:
            fc = [nn.Linear(width, config.d_fc), nn.LeakyReLU(0.2), *dropout()]
            width = config.d_fc

        self.net = nn.Sequential(
            nn.Conv2d(1, c14, 4, 2, 1),  # (B, c14, 14, 14)
            nn.LeakyReLU(0.2),
            *dropout(),
            nn.Conv2d(c14, c7, 4, 2, 1),  # (B, c7, 7, 7)
            norm,
            nn.LeakyReLU(0.2),
            *dropout(),
            nn.Flatten(),
            *fc,
            nn.Linear(width, 1),
        )

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if labels is not None:
            raise ValueError("this model is unconditional: do not pass labels")
        return self.net(x).squeeze(1)  # (B,)


ARCHITECTURES: dict[str, tuple[type[nn.Module], type[nn.Module]]] = {
    "mlp": (MLPGenerator, MLPDiscriminator),
    "dcgan": (DCGANGenerator, DCGANDiscriminator),
}


def build_generator(config: ModelConfig) -> nn.Module:
    config.validate()
    return ARCHITECTURES[config.arch][0](config)


def build_discriminator(config: ModelConfig) -> nn.Module:
    config.validate()
    return ARCHITECTURES[config.arch][1](config)


@dataclass(frozen=True)
class ClassifierConfig:
    """A small MNIST CNN; its penultimate layer is the feature space for Frechet distance."""

    channels: tuple[int, ...] = field(default=(32, 64))
    features: int = 128

    def to_dict(self) -> dict:
        return {"channels": list(self.channels), "features": self.features}


class MNISTClassifier(nn.Module):
    def __init__(self, config: ClassifierConfig = ClassifierConfig()):
        super().__init__()
        c1, c2 = config.channels
        self.body = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=1),  # (B, c1, 28, 28)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c1, 14, 14)
            nn.Conv2d(c1, c2, 3, padding=1),  # (B, c2, 14, 14)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c2, 7, 7)
            nn.Flatten(),
            Dropout(0.25),
            nn.Linear(c2 * 7 * 7, config.features),
            nn.ReLU(),  # (B, features): the embedding used for Frechet distance
        )
        self.head = nn.Sequential(Dropout(0.5), nn.Linear(config.features, 10))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))  # (B, 10) logits
