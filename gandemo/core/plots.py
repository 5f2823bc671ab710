"""Pictures: image grids (PIL), 2-D scatter plots over a discriminator/critic map, loss curves.

The figures are drawn with matplotlib's object-oriented API on an Agg canvas, imported only when one is drawn:
importing gandemo neither loads matplotlib nor changes the backend a user's pyplot has chosen, and no figure
is left registered in pyplot's list of open figures (each one is freed with its last reference)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from PIL import Image

PLOT_LIMIT = 3.0  # the toy figures cover [-3, 3]^2, as in the WGAN-GP paper's gan_toy.py


def image_grid(images: torch.Tensor, *, cols: int, scale: int = 1, padding: int = 2) -> Image.Image:
    """Tile (N, 1, H, W) images in [-1, 1] into a grayscale PIL image, ``cols`` per row.

    ``scale`` enlarges each pixel with nearest-neighbour sampling so digits stay crisp.
    """
    n, _, h, w = images.shape
    rows = max(1, -(-n // cols))
    pixels = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()[:, 0]
    canvas = np.zeros((rows * (h + padding) + padding, cols * (w + padding) + padding), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        y, x = padding + r * (h + padding), padding + c * (w + padding)
        canvas[y : y + h, x : x + w] = pixels[i]
    image = Image.fromarray(canvas, mode="L")
    if scale > 1:
        image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    return image


def new_figure(width: float, height: float):
    """A matplotlib Figure on its own Agg canvas, outside pyplot (no backend switch, nothing to close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def figure_to_image(figure) -> Image.Image:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


@torch.no_grad()
def critic_map(
    critic: Callable[[torch.Tensor], torch.Tensor], *, resolution: int = 96, limit: float = PLOT_LIMIT
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate ``critic`` on a ``resolution``^2 grid over [-limit, limit]^2: (xs, ys, scores)."""
    axis = torch.linspace(-limit, limit, resolution)
    xx, yy = torch.meshgrid(axis, axis, indexing="xy")
    points = torch.stack([xx.flatten(), yy.flatten()], dim=1)
    device = next(critic.parameters()).device if isinstance(critic, torch.nn.Module) else "cpu"
    score = getattr(critic, "point_scores", critic)  # packed discriminators judge one point at a time
    scores = score(points.to(device)).float().cpu().view(resolution, resolution)
    return xx.numpy(), yy.numpy(), scores.numpy()


# Okabe & Ito's colour-blind-safe palette: real orange, generated (a darker) blue, over a grey map of the critic;
# the browser's plots (web/widgets/toy.js) draw with the same colours, sizes and order
REAL_COLOUR, FAKE_COLOUR = "#E69F00", "#005493"


def toy_plot(
    real: torch.Tensor | np.ndarray | None,
    fake: torch.Tensor | np.ndarray,
    *,
    critic: Callable[[torch.Tensor], torch.Tensor] | None = None,
    field: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    centers: torch.Tensor | np.ndarray | None = None,
    title: str = "",
    critic_label: str = "critic",
    size: float = 5.5,
) -> Image.Image:
    """Real (orange) vs generated (blue) points over the critic's map in greys, on [-3, 3]^2: real points as
    larger translucent discs under small generated dots, so each stays readable over the other; the legend
    sits under the plot, off the data. The map comes from ``critic``, or ready-made from ``field``
    (what :func:`critic_map` returns)."""
    figure = new_figure(size, size + 0.5)
    ax = figure.subplots()
    if critic is not None and field is None:
        field = critic_map(critic)
    if field is not None:
        xs, ys, scores = field
        filled = ax.contourf(xs, ys, scores, levels=20, cmap="Greys", alpha=0.55)
        ax.contour(xs, ys, scores, levels=10, colors="k", linewidths=0.3, alpha=0.35)
        bar = figure.colorbar(filled, ax=ax, fraction=0.046, pad=0.04)
        bar.set_label(f"{critic_label} (darker: judged more real)")
    if real is not None:
        real = np.asarray(real)
        ax.scatter(real[:, 0], real[:, 1], s=28, c=REAL_COLOUR, alpha=0.5, label="real", linewidths=0)
    fake = np.asarray(fake)
    ax.scatter(
        fake[:, 0], fake[:, 1], s=6, c=FAKE_COLOUR, alpha=0.9, label="generated", edgecolors="white", linewidths=0.3
    )
    if centers is not None:
        centers = np.asarray(centers)
        ax.scatter(centers[:, 0], centers[:, 1], s=40, marker="+", c="k", linewidths=1, label="mode centres")
    ax.set_xlim(-PLOT_LIMIT, PLOT_LIMIT)
    ax.set_ylim(-PLOT_LIMIT, PLOT_LIMIT)
    ax.set_aspect("equal")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=9, markerscale=3, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure_to_image(figure)


# When a loss chart clips its y-axis (Python's charts and the Playground's live one read these)
CLIP = {"percentiles": [1, 99], "margin": 0.5, "spread": 1.5, "least": 20}
CURVE_WORDS = {"d_loss": "discriminator", "g_loss": "generator", "gradient_penalty": "gradient penalty"}


def robust_limits(curves: Sequence[Sequence[float]]) -> tuple[float, float] | None:
    """y-limits holding the 1st to 99th percentile of all the values with half that range to spare on
    each side, or None when the full range is less than 1.5 times that (nothing flattens the rest): ``CLIP``."""
    values = np.concatenate([np.asarray(c, dtype=float) for c in curves if len(c)] or [np.zeros(0)])
    values = values[np.isfinite(values)]
    if len(values) < CLIP["least"]:
        return None
    low, high = np.percentile(values, CLIP["percentiles"])
    margin = CLIP["margin"] * max(high - low, 1e-9)
    low, high = low - margin, high + margin
    if values.max() - values.min() < CLIP["spread"] * (high - low):
        return None
    return float(low), float(high)


def clipped_note(history: Mapping[str, Sequence[float]], limits: tuple[float, float]) -> str:
    """What a clipped chart leaves out, in words: how many values, the most extreme, and when."""
    low, high = limits
    out = [(i, v) for values in history.values() for i, v in enumerate(values) if not low <= v <= high]
    extreme = max(out, key=lambda item: abs(item[1]))[1]
    length = max(len(values) for values in history.values())
    when = "the first steps" if all(i < max(1, length // 20) for i, _ in out) else "a few steps"
    return f"y-axis clipped: {len(out)} value(s) of {when} (up to {extreme:.3g}) are off the chart"


def loss_plot(
    history: Mapping[str, Sequence[float]], *, steps: Sequence[int] | None = None, title: str = ""
) -> Image.Image:
    """Loss curves, one line per key of ``history`` (e.g. ``d_loss``, ``g_loss``). A spike (the first steps'
    losses are often ten times the rest) would flatten the run: the y-axis then holds the 1st to 99th
    percentile of the values, and the chart says what it leaves out."""
    figure = new_figure(6.5, 3.5)
    ax = figure.subplots()
    for name, values in history.items():
        xs = steps if steps is not None else range(len(values))
        label = f"{CURVE_WORDS[name]} ({name})" if name in CURVE_WORDS else name
        ax.plot(list(xs)[: len(values)], values, label=label, linewidth=1)
    limits = robust_limits(list(history.values()))
    ax.set_xlabel("step")
    if limits is not None:
        ax.set_ylim(*limits)
        ax.set_xlabel(f"step\n({clipped_note(history, limits)})")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    figure.tight_layout()
    return figure_to_image(figure)
