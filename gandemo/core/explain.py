"""Words for visitors: what each model is (with its objective as math and the paper it follows), what to
look for in its pictures, and what each measured number means next to the same number for real data.

Explanations are keyed by recipe; a model trained some other way (a Playground save, a custom run) gets
one assembled from its config, so every model explains itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .objectives import OBJECTIVES

# Real MNIST's rarest digit: 892 of the 10,000 test images are fives.
MNIST_TEST_RAREST_SHARE = 0.0892
# A 2-D Gaussian puts 1 - exp(-9/2) of its mass within 3 standard deviations of its mean.
GAUSSIAN_WITHIN_3_STD = 0.9889

PAPERS = {
    "gan": "[Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)",
    "dcgan": "[Radford et al., 2015](https://arxiv.org/abs/1511.06434)",
    "cgan": "[Mirza & Osindero, 2014](https://arxiv.org/abs/1411.1784)",
    "wgan-gp": "[Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028)",
    "gan-gp": "[Fedus et al., 2018](https://arxiv.org/abs/1710.08446)",
    "lsgan": "[Mao et al., 2017](https://arxiv.org/abs/1611.04076)",
    "hinge": "[Lim & Ye, 2017](https://arxiv.org/abs/1705.02894)",
    "pacgan": "[Lin et al., 2018](https://arxiv.org/abs/1712.04086)",
    "top-k": "[Sinha et al., 2020](https://arxiv.org/abs/2002.06224)",
    "inception-score": "[Salimans et al., 2016](https://arxiv.org/abs/1606.03498)",
    "frechet": "[Heusel et al., 2017](https://arxiv.org/abs/1706.08500)",
    "veegan": "[Srivastava et al., 2017](https://arxiv.org/abs/1705.07761)",
    "precision-recall": "[Kynkäänniemi et al., 2019](https://arxiv.org/abs/1904.06991)",
    "density-coverage": "[Naeem et al., 2020](https://arxiv.org/abs/2002.09797)",
    "data-copying": "[Meehan et al., 2020](https://arxiv.org/abs/2004.05675)",
}
# What the data-copying statistic C_T (gandemo/measures/copying.py) says, for cards and about texts
COPYING_MEANING = (
    "how close the samples sit to their nearest training digit compared with how close real test digits sit "
    "to theirs, as a z-score averaged over k-means cells of our classifier's features: well below 0 (say under "
    "-3) says the model copies training digits, well above 0 that it underfits, near 0 neither"
)

# The collapse alarm: a digit rarer than this is missing, one commoner than this dominates (fair: 10%), and a
# share of near-duplicates above this (real test digits: 1%, by the definition in gandemo/evaluate.py) is a
# generator repeating itself.
MISSING_DIGIT_SHARE = 0.02
DOMINANT_DIGIT_SHARE = 0.2
DUPLICATE_ALARM_SHARE = 0.10
PRDC_MEANINGS = {
    "precision": "share of samples that fall among real digits (do they look real?)",
    "recall": "share of real digits some sample falls near (is every kind of digit made?)",
    "density": "how crowded real neighbourhoods are with samples, 1 for real-like; over 1 when samples pile "
    "onto typical digits",
    "coverage": "share of real digits with a sample in their neighbourhood",
}


# The digit collapse alarm's words, as data the browser fills the same way (web/runtime/digits.js, digitVerdict:
# the Train on digits tab, live): each problem's sentence, joined by "; ", then how bad it is.
DIGIT_ALARM = {
    "missing_share": MISSING_DIGIT_SHARE,
    "dominant_share": DOMINANT_DIGIT_SHARE,
    "duplicate_share": DUPLICATE_ALARM_SHARE,
    "severe_share": 0.5,  # a digit or near-copies over this share (or a missing digit): mode collapse
    "words": {
        "missing_one": "digit {digits} is (almost) never drawn",
        "missing_many": "digits {digits} are (almost) never drawn",
        "dominant": "digit {digit} is {share} of samples",
        "duplicates": "{share} of samples are near-copies of another",
        "severe": ": mode collapse",
        "partial": ": partial collapse",
        "none": "all {count} digits (the rarest {rarest}), {copies}: no collapse",
        "copies": "{share} near-duplicates",
        "copies_real": " (real digits: {share})",
    },
}


def collapse_verdict(metrics: dict) -> tuple[bool, str] | None:
    """(alarm, a plain sentence) from the digit histogram and the near-duplicate share, or None when they were
    not measured (the words: ``DIGIT_ALARM``)."""
    histogram, duplicates = metrics.get("digit_histogram"), metrics.get("near_duplicate_share")
    if not histogram or duplicates is None:
        return None
    alarm, words = DIGIT_ALARM, DIGIT_ALARM["words"]
    problems = []
    missing = [str(d) for d, share in enumerate(histogram) if share < alarm["missing_share"]]
    if missing:
        problems.append(words["missing_one" if len(missing) == 1 else "missing_many"].format(digits=", ".join(missing)))
    top = max(range(len(histogram)), key=histogram.__getitem__)
    if histogram[top] > alarm["dominant_share"]:
        problems.append(words["dominant"].format(digit=top, share=_percent(histogram[top])))
    if duplicates > alarm["duplicate_share"]:
        problems.append(words["duplicates"].format(share=_percent(duplicates)))
    real = metrics.get("near_duplicate_share_real")
    if problems:
        severe = missing or max(duplicates, histogram[top]) > alarm["severe_share"]
        return True, "; ".join(problems) + words["severe" if severe else "partial"]
    copies = words["copies"].format(share=_percent(duplicates))
    copies += words["copies_real"].format(share=_percent(real)) if real else ""
    rarest = _percent(min(histogram))
    return False, words["none"].format(count=len(histogram), rarest=rarest, copies=copies)


def per_digit_table(metrics: dict) -> str:
    """Precision and recall for each digit, beside real training digits' (a Markdown table), or ""."""
    rows = [
        metrics.get(key)
        for key in ("per_digit_precision", "per_digit_precision_real", "per_digit_recall", "per_digit_recall_real")
    ]
    if any(not isinstance(row, list) or len(row) != 10 for row in rows):
        return ""
    cell = lambda v: "–" if v is None else f"{100 * v:.0f}"  # noqa: E731
    lines = ["| digit | " + " | ".join(str(d) for d in range(10)) + " |", "| --- |" + " ---: |" * 10]
    names = ("precision %", "real digits", "recall %", "real digits")
    lines += [f"| {name} | " + " | ".join(cell(v) for v in row) + " |" for name, row in zip(names, rows, strict=True)]
    return "\n".join(lines)


@dataclass(frozen=True)
class Explanation:
    about: str  # 2-4 plain sentences: what it is, what is special about it
    look_for: str  # what a visitor should notice in its pictures
    papers: tuple[str, ...]  # keys of PAPERS
    formula: tuple[str, str] | None = None  # overrides the objective's (e.g. with labels)


_CONDITIONAL = (
    r"\min_D\; -\mathbb{E}_{x,y} \log D(x \mid y) - \mathbb{E}_{z,y} \log(1 - D(G(z \mid y) \mid y))",
    r"\min_G\; -\mathbb{E}_{z,y} \log D(G(z \mid y) \mid y)",
)

EXPLANATIONS = {
    "gan": Explanation(
        "The original GAN: two small fully connected networks play a game. The generator turns 100 random "
        "numbers into a digit; the discriminator learns to tell its digits from real ones, and the generator "
        "learns from the discriminator's mistakes. It never sees a real image itself.",
        "Each square comes from a different random vector. Look for all ten digits (a collapsed GAN repeats a "
        "few) and for strokes that break or blur: fully connected layers know nothing of neighbouring pixels.",
        ("gan",),
    ),
    "dcgan": Explanation(
        "A deep convolutional GAN: the generator paints with transposed convolutions and the discriminator "
        "reads with convolutions, so both work with local strokes rather than single pixels. Late in training "
        "the generator learns only from the half of each batch the discriminator finds most real (top-k).",
        "Smooth, connected strokes with fewer specks than the MLP GAN. The same seed gives the same digits: "
        "move the seed slider to see new ones, or open Latent walk to morph one into another.",
        ("dcgan", "gan", "top-k"),
    ),
    "cgan": Explanation(
        "A conditional GAN: both networks are also told which digit (0-9) is wanted, so you choose what it "
        "draws. The random vector is left to carry everything else: slant, thickness, style.",
        "With **all digits**, each row is one random vector and the columns are digits 0-9: same row = same "
        "style, columns = digits. Pick one digit to see many styles of it.",
        ("cgan", "gan"),
        _CONDITIONAL,
    ),
    "wgan-gp": Explanation(
        "A Wasserstein GAN with gradient penalty on the DCGAN's networks. Its critic gives a score rather than "
        "a real/fake probability, and the penalty keeps the critic smooth, so the generator gets a useful "
        "signal even when its digits are far from real ones.",
        "Compare it with dcgan on the Compare tab: the same networks, a different objective. WGAN-GP is known "
        "for stable training and for covering every digit rather than the sharpest strokes.",
        ("wgan-gp",),
    ),
    "toy-gan": Explanation(
        "The plain GAN objective on a toy target: 2-D points from eight Gaussian blobs on a ring. The "
        "discriminator sees two samples at once (PacGAN), which punishes a generator that puts all its points "
        "in a few blobs, the classic failure on this target.",
        "Blue (generated) points should sit on all eight orange (real) blobs, not between them. The shading is "
        "the discriminator's belief: the generator moves its points toward the dark, where it says real data is.",
        ("gan", "pacgan"),
    ),
    "toy-wgan-gp": Explanation(
        "WGAN-GP on the ring of eight Gaussians, as in the paper's own toy experiment. The critic's score is "
        "smooth everywhere, so even points far from any blob are pulled toward one.",
        "Blue points on all eight orange blobs. The critic's map darkens over the real blobs and lightens "
        "between them; generated points flow toward the dark.",
        ("wgan-gp",),
    ),
}


def _objective(config: dict):
    """The objective a model was trained with: its config says, else its recipe's name implies it."""
    recipe = config.get("recipe", "").removeprefix("toy-")
    name = config.get("training", {}).get("objective") or (recipe if recipe in OBJECTIVES else "gan")
    return OBJECTIVES.get(name, OBJECTIVES["gan"])


def explanation(config: dict) -> Explanation:
    """The explanation of a model from its checkpoint config: its recipe's, or one built from its parts."""
    recipe = config.get("recipe", "")
    if recipe in EXPLANATIONS:
        return EXPLANATIONS[recipe]
    model, objective = config.get("model", {}), _objective(config)
    if model.get("data") == "8gaussians":
        about = f"A small 2-D GAN trained with the {objective.title} objective."
        look_for = "Blue (generated) points should cover every orange (real) cluster, and nothing in between."
    else:
        about = f"An MNIST GAN ({model.get('arch', 'unknown')} networks) trained with the {objective.title} objective."
        look_for = "Look for all ten digits and clean, connected strokes."
    return Explanation(
        f"{about} {config.get('description', '')}".strip(),
        look_for,
        (objective.name,) if objective.name in PAPERS else (),
    )


def model_markdown(name: str, config: dict) -> str:
    """What a model is, its objective as math (KaTeX), its papers and what to look for."""
    about = explanation(config)
    formula = about.formula or _objective(config).formula
    lines = [f"### {name}", about.about]
    if all(formula):
        lines += ["**Objective** (D: discriminator or critic, G: generator, x: real data, z: noise):"]
        lines += [f"$${part}$$" for part in formula]
    if about.papers:
        lines.append("**Follows** " + "; ".join(PAPERS[key] for key in about.papers) + ".")
    lines.append(f"**What to look for:** {about.look_for}")
    return "\n\n".join(lines)


def _score(value: float) -> str:
    return f"{value:.2f}"


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


# The 2-D coverage sentences, as templates: the browser fills the same ones with what it measures
# (percentages with one decimal, the KL with four).
COVERAGE_LINES = {
    "modes_captured": "**{modes_captured} of {modes_total} modes captured**: blobs with at least one good sample "
    f"nearest to them ({PAPERS['veegan']}).",
    "high_quality_share": "**High-quality samples {high_quality}** (real points: "
    f"{_percent(GAUSSIAN_WITHIN_3_STD)}): within three standard deviations of a blob's centre.",
    "modes_held": "**{near} of samples near a mode, {modes_held} of {modes_total} modes holding a fair share** "
    "(a quarter of an even split or more): the alarm calls half the modes or fewer a collapse.",
    "kl_to_uniform": "**Mode-balance KL {kl}**: 0 when the good samples split evenly over the blobs; larger when "
    "some blobs get more than their share.",
}
COVERAGE_HEAD = "Measured on {samples} samples:"

# The 2-D collapse alarm (the 2-D models tab, and the Playground live): a level and its words, as data the
# browser fills the same way (web/runtime/coverage.js, toyVerdict). It reads where the samples are
# (gandemo.measures.metrics.mode_coverage): collapse is the points crowding onto few modes, not a generator that has not
# reached the target yet, nor one spread over the target but not yet on its modes. Thresholds measured on
# Playground runs (8 Gaussians, 1,000 samples every 25 steps): a default WGAN-GP run (seeds 0-11) has at most
# 23.5% of its points near a mode while it is still one cloud, then holds every mode from step 75-150; the plain
# GAN's mode-collapse run holds at most 4 of 8 modes, with 21-33% near one by step 100-450.
TOY_ALARM = {
    "collapse_share": 0.5,  # this share of the modes held or fewer: the points crowd together
    "early_near": 0.25,  # ... but while no draw of the run had this share near a mode, it has not learned yet
    "early_steps": 100,  # ... nor in a run's first steps (a first cloud on a grid's centre mode is not a collapse)
    "settle_near": 0.5,  # less than this share near a mode (and not crowded): spread out, still learning
    "words": {
        "early": "the points have not reached the target yet: still learning, too early to judge",
        "learning": "spread out, {near}% of the points near a mode so far: still learning, no collapse",
        "none": "all {total} modes hold a fair share of the points: no collapse",
        "uneven": "all {total} modes, but {thin} of them get few points",
        "partial": "{held} of {total} modes hold a fair share of the points{best}: partial collapse",
        "collapse": "the points crowd together: {held} of {total} modes hold a fair share{best}: mode collapse",
        "best": " (most so far: {held} at step {step})",
    },
    "tones": {"collapse": "on", "partial": "warn", "uneven": "warn"},  # the rest: off (no alarm colour)
}


def _toy_level(coverage: dict, run: dict | None) -> str:
    alarm, total, held, near = TOY_ALARM, coverage["modes_total"], coverage["modes_held"], coverage["near_share"]
    if held <= alarm["collapse_share"] * total:
        young = run is not None and run["step"] < alarm["early_steps"]
        return "early" if young or max(near, (run or {}).get("near", 0)) < alarm["early_near"] else "collapse"
    if near < alarm["settle_near"]:
        return "learning"
    if held == total:
        return "none"
    return "uneven" if coverage["modes_captured"] == total else "partial"


def toy_verdict(coverage: dict, run: dict | None = None) -> tuple[str, str] | None:
    """(level, words) for a 2-D draw's mode coverage; ``run`` ({step, near, held, held_step}) is a training run's
    step now, the largest near share it has had and the most modes it has held (at held_step). None for a target
    with no modes."""
    if not coverage.get("modes_total") or coverage.get("modes_held") is None:
        return None
    level, words = _toy_level(coverage, run), TOY_ALARM["words"]
    total, held = coverage["modes_total"], coverage["modes_held"]
    best = run and run["held"] > held and words["best"].format(held=run["held"], step=run["held_step"])
    return level, words[level].format(
        total=total, held=held, thin=total - held, near=int(100 * coverage["near_share"] + 0.5), best=best or ""
    )


def _score_lines(found: dict) -> list[str]:
    """The MNIST scores: IS, FD, label accuracy and the rarest digit, each beside real digits'."""
    lines = []
    if "inception_score" in found:
        real = found.get("inception_score_real_test")
        lines.append(
            f"**Inception Score {_score(found['inception_score'])}**"
            + (f" (real test digits: {_score(real)})" if real else "")
            + ": higher means each digit is clear and all ten appear; at most 10. An MNIST classifier stands in "
            f"for Inception ({PAPERS['inception-score']})."
        )
    if "frechet_distance" in found:
        floor = found.get("frechet_distance_real_floor")
        lines.append(
            f"**Fréchet distance {_score(found['frechet_distance'])}**"
            + (f" (real training vs real test digits: {_score(floor)})" if floor else "")
            + ": lower is better; how far the samples' features are, on average and in spread, from real "
            f"digits' ({PAPERS['frechet']}; the FID, with our MNIST classifier's features)."
        )
    if "label_accuracy" in found:
        lines.append(
            f"**Label accuracy {_percent(found['label_accuracy'])}**: the share of samples the classifier reads "
            "as the digit that was asked for."
        )
    if "min_digit_share" in found:
        lines.append(
            f"**Rarest digit {_percent(found['min_digit_share'])} of samples** (real test digits: "
            f"{_percent(MNIST_TEST_RAREST_SHARE)}): 10% if every digit appeared equally; a GAN that drops "
            "digits (mode collapse) scores near 0."
        )
    return lines


def _prdc_lines(found: dict) -> list[str]:
    """Precision, recall, density and coverage, each beside real training digits' and what it means."""
    lines = []
    for name, meaning in PRDC_MEANINGS.items():
        if name in found:
            real = found.get(f"{name}_real")
            source = {"precision": "precision-recall", "density": "density-coverage"}.get(name)
            cite = f" ({PAPERS[source]}; k = 5 neighbours in our classifier's features)" if source else ""
            lines.append(
                f"**{name.capitalize()} {found[name]:.2f}**"
                + (f" (real training digits: {real:.2f})" if real is not None else "")
                + f": {meaning}{cite}."
            )
    return lines


def _copying_lines(metrics: dict) -> list[str]:
    """The data-copying statistic, when measured, and what it means."""
    copying = metrics.get("data_copying")
    if not isinstance(copying, dict) or not isinstance(copying.get("C_T"), (int, float)):
        return []
    return [f"**Data copying C_T {copying['C_T']:.2f}**: {COPYING_MEANING} ({PAPERS['data-copying']})."]


def _coverage_lines(found: dict) -> list[str]:
    """A 2-D draw's collapse alarm and mode coverage."""
    if "modes_captured" not in found:
        return []
    toy = toy_verdict(found)
    lines = [f"**Collapse alarm: {toy[1]}.**"] if toy else []
    captured, total = found["modes_captured"], found.get("modes_total", 8)
    lines.append(COVERAGE_LINES["modes_captured"].format(modes_captured=captured, modes_total=total))
    if "modes_held" in found:
        near = _percent(found["near_share"])
        lines.append(COVERAGE_LINES["modes_held"].format(near=near, modes_held=found["modes_held"], modes_total=total))
    if "high_quality_share" in found:
        lines.append(COVERAGE_LINES["high_quality_share"].format(high_quality=_percent(found["high_quality_share"])))
    if isinstance(found.get("kl_to_uniform"), float):
        lines.append(COVERAGE_LINES["kl_to_uniform"].format(kl=f"{found['kl_to_uniform']:.4f}"))
    return lines


def metrics_markdown(metrics: dict, *, samples_note: bool = True) -> str:
    """The measured numbers, each with the same number for real data and what it means: the collapse alarm
    first, and for MNIST models a per-digit table last."""
    metrics = metrics or {}
    found = {k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    lines = [*_score_lines(found), *_prdc_lines(found), *_copying_lines(metrics), *_coverage_lines(found)]
    if not lines:
        return "_No metrics measured yet (`python -m gandemo.evaluate`)._"
    head = COVERAGE_HEAD.format(samples=f"{found['samples']:,}") if samples_note and "samples" in found else ""
    verdict = collapse_verdict(metrics)
    alarm = f"**Collapse alarm: {verdict[1]}.**\n\n" if verdict else ""
    table = per_digit_table(metrics)
    by_digit = (
        f"\n\nPer digit (the CGAN's by the digit asked for, the others' by the digit our classifier reads):\n\n{table}"
        if table
        else ""
    )
    return (alarm + "\n".join([head, *(f"- {line}" for line in lines)]).strip() + by_digit).strip()


# A model card's metric names in a visitor's words, (name, what it says); the Training tab shows each with its
# exact key beside it
METRIC_WORDS = {
    "samples": ("samples measured", ""),
    "frechet_distance": ("Fréchet distance", "how far the samples are from real test digits; lower is closer"),
    "frechet_distance_real_floor": ("Fréchet distance, real-data floor", "real training digits to real test digits"),
    "frechet_ratio_to_floor": ("Fréchet distance ÷ its real-data floor", "1 is as close as real digits get"),
    "inception_score": ("Inception score", "higher: clearer and more varied digits"),
    "inception_score_real_test": ("Inception score of real test digits", ""),
    "digit_histogram": ("share of each digit", "0 to 9"),
    "min_digit_share": ("share of the rarest digit", ""),
    "digit_entropy": ("digit variety", "entropy; higher is more even"),
    "near_duplicate_share": ("share of near-duplicates", "samples almost equal to another"),
    "label_accuracy": ("digit asked for, made", "share of samples read as the digit asked for"),
    "precision": ("precision", "share of samples that look real"),
    "recall": ("recall", "share of real digits' kinds that are made"),
    "density": ("density", "how crowded real neighbourhoods are with samples"),
    "coverage": ("coverage", "share of real digits with a sample nearby"),
    "data_copying": ("data-copying statistic C_T", "well below 0: copies training digits; well above: underfits"),
    "modes_captured": ("modes captured", ""),
    "modes_total": ("modes in the target", ""),
    "high_quality_share": ("share of high-quality samples", "near a mode's centre"),
    "kl_to_uniform": ("mode balance", "KL divergence; 0 is evenly spread"),
    "test_accuracy": ("accuracy on real test digits", ""),
    "test_inception_score": ("Inception score of real test digits", ""),
}


def metric_words(key: str) -> str:
    """A metric's name for a visitor, with its exact key as secondary text: "share of the rarest digit
    (`min_digit_share`)"; per-digit and real-data variants are named from their base (an unknown key stays)."""
    base = key.removeprefix("per_digit_")
    real = base not in METRIC_WORDS and base.endswith("_real")
    base = base.removesuffix("_real") if real else base
    if base not in METRIC_WORDS:
        return key
    name, meaning = METRIC_WORDS[base]
    name += " per digit" * key.startswith("per_digit_") + " of real digits (for comparison)" * real
    return f"{name}{f': {meaning}' if meaning else ''} (`{key}`)"


def named_metrics(card: str) -> str:
    """A model card's metrics table with each bare key (what cards written before :data:`METRIC_WORDS` hold)
    in a visitor's words, the key kept beside them."""
    return re.sub(r"^\| ([a-z_]+) \|", lambda m: f"| {metric_words(m.group(1))} |", card, flags=re.M)
