"""The Train on digits tab: an MLP GAN (or CGAN) trained live on real MNIST digits in the visitor's browser
(``web/widgets/digits.js``, its session in a worker: ``web/runtime/digits-worker.js``). The settings are Gradio
controls, so links restore them; every button and setting reaches the browser's trainer with no request to the
server, which trains nothing and keeps nothing for it.

A separate tab rather than a data choice inside the Playground: what a learner watches differs (a grid of
digits, a digit histogram and its alarm, not points over a critic's map), and so do the models and settings."""

from __future__ import annotations

import gradio as gr

from ..core.explain import DIGIT_ALARM
from ..core.objectives import OBJECTIVES
from ..core.settings import Setting
from ..measures import metrics
from . import browser, links
from .context import Context
from .controls import by_key, choice, component, finish, link_fields, setting, the_rest

TAB = "digits"
VIEW = "digits"
TITLE = "Train on digits"
PARTS = ["both", "discriminator only", "generator only"]  # what a step updates (as on the Playground)
STEP = 10  # steps a press of Step runs
GRID = 8  # the grid of fixed latents: 8 x 8 (for the CGAN, row r asks for digit r, and rows 8 and 9 are left out)
READ = 256  # fresh samples the classifier reads for the histogram and the alarm
INTRO = (
    "Watch a GAN learn **real MNIST digits in your browser**: the same objectives and update as the offline "
    "trainer, on a balanced subset of the training digits shipped with the app. The grid redraws the same "
    f"{GRID * GRID} latents as it trains; our classifier reads {READ} fresh samples for the histogram and the "
    "collapse alarm. "
    f"Settings apply on **Reset**; **Step** runs {STEP} steps; **Save** hands you the model as a .zip."
)

# The networks trained from scratch, sized for a browser on a CPU (benchmarks/README.md, the digits trainer): G
# 64-128-256-784 (BatchNorm after its second layer, as the offline recipes) and D 784-256-128-1 cost 166 M
# multiply-adds a step at batch 64, as little as one 256-wide layer each (145 M), and learn faster than that pair;
# 256-512 / 512-256 costs 2.3x, and the shipped gan's networks 4.6x (offered to fine-tune). The CGAN comes
# first: told which digit to draw, it draws all ten sooner (IS 7.2 at 3,000 steps over three seeds; the GAN 5.7 over
# two), and its grid shows one row per digit.
BROWSER_MLP = {
    "arch": "mlp",
    "data": "mnist",
    "latent_dim": 64,
    "num_classes": 0,
    "g_hidden": [128, 256],
    "d_hidden": [256, 128],
    "activation": "leaky_relu",
    "g_batchnorm": True,
    "d_norm": "none",
    "d_dropout": 0.0,
    "embed_dim": 10,
    "d_pack": 1,
}
SCRATCH = {"browser MLP CGAN": {**BROWSER_MLP, "num_classes": 10}, "browser MLP GAN": BROWSER_MLP}
START_LABEL = "start from {name} (fine-tune)"  # a shipped MLP, its generator with a fresh discriminator

# The optimiser's settings: Adam at 2e-3 for the generator and 1e-3 for the discriminator, ten and five times the
# offline recipes' 2e-4. From scratch, these networks at 2e-4 still draw one blob after 3,000 steps; at these rates
# the CGAN draws all ten digits by 2,000 (IS 6.0, over three seeds; benchmarks/README.md, the digits' settings). The
# presets that fine-tune keep 2e-4. Betas come from the objective. A phone (a narrow screen or few cores) starts at
# PHONE_BATCH: a step there costs a quarter, and the page stays responsive.
SETTINGS = {
    "g_lr": Setting("generator lr", 1e-6, 1e-2, 2e-3, step=0, whole=False),
    "d_lr": Setting("discriminator lr", 1e-6, 1e-2, 1e-3, step=0, whole=False),
    "critic": Setting("critic steps", 1, 10, 1),
    "gp": Setting("penalty weight", 0, 100, 10, step=0, whole=False),
    "batch": Setting("batch size", 16, 256, 64, step=16),
    "seed": Setting("seed", 0, 2**31 - 1, 0),
}
PHONE_BATCH = 16
MEASURE_EVERY = 50  # steps between readings while playing (each reading costs about as much as a few steps)
# Until this step the alarm says it is too early (a fresh generator's noise is read as one digit).
EARLY_STEPS = 100
MAX_STEPS = 50_000  # per session: press Reset for more
EARLY_WORDS = "the samples are not digits yet: too early to judge"
ALARM_LIVE = {
    "early_steps": EARLY_STEPS,
    "duplicate_quantile": metrics.DUPLICATE_QUANTILE,
}

OBJECTIVE_CHOICES = [name for name in ("gan", "lsgan", "hinge", "wgan-gp", "wgan") if name in OBJECTIVES]

# One-click experiments on digits, each held by tests/test_browser_digits.py to its note ("expect", read on the
# classifier's readings up to by_step: the largest digit's share, or for a CGAN the share of samples read as the
# digit they were asked for, reaches ``value`` on some reading, or on ``every`` one; with ``alarm``, the alarm is on
# at a reading that reaches it).
BASE = {"objective": "gan", **{key: s.default for key, s in SETTINGS.items()}}
PRESETS = {
    "Mode collapse: the discriminator runs away": {
        "settings": {**BASE, "model": "browser MLP GAN", "g_lr": 2e-4, "d_lr": 5e-3},
        "explanation": "Every fresh GAN starts collapsed: its generator draws the same grey blob for every latent. "
        "Here its discriminator learns 25 times faster than the generator: by step 150 the classifier reads one "
        "digit in more than 90% of the samples, the grid's 64 latents draw one shape, and the alarm says mode "
        "collapse. Try other learning rates and see how long each run takes to break out.",
        "expect": {"by_step": 150, "measure": "top_share", "value": 0.9, "alarm": True},
    },
    "A CGAN draws the digit it is asked for": {
        "settings": {**BASE, "model": START_LABEL.format(name="cgan"), "g_lr": 2e-4, "d_lr": 2e-4, "batch": 16},
        "explanation": "The shipped conditional GAN, trained on here with a fresh discriminator: each grid row asks "
        "for one digit (0 at the top). Told which digit to draw, it draws it: through step 50 the classifier reads "
        "the digit asked for in at least 90% of the samples.",
        "expect": {"by_step": 50, "measure": "label_accuracy", "value": 0.9, "every": True},
    },
}
CONTROLS = ("preset", "model", "objective", *SETTINGS, "part")
ROWS = (("model",), ("objective",), ("g_lr", "d_lr"), ("critic", "gp", "batch"), ("seed",), ("part",))
LABELS = {
    "preset": "try an experiment on digits",
    "model": "model",
    "objective": "objective",
    "part": "train",
}
INFO = {
    "preset": "one click: its settings, a fresh start, and it plays",
    "model": "a small MLP made for the browser, or a shipped model to fine-tune",
    "objective": "how the two networks score each other",
    "part": "freeze one network to watch the other (live)",
    "g_lr": "how far the generator moves per step",
    "d_lr": "how far the discriminator moves per step",
    "critic": "discriminator updates per generator update",
    "gp": "gradient penalty (wgan-gp only)",
    "batch": "digits per step, each side",
    "seed": "the same seed, the same run",
}


def model_choices(showroom) -> dict[str, dict]:
    """Label -> {model config, start}: the two browser MLPs, then each shipped MLP (``gan``, ``cgan``) to go on
    training (the trainer runs MLPs only)."""
    models = {label: {"model": model, "start": None} for label, model in SCRATCH.items()}
    for name in ("gan", "cgan"):
        config = showroom.configs.get(name)
        if config and config["model"].get("arch") == "mlp" and config["model"].get("data") == "mnist":
            models[START_LABEL.format(name=name)] = {"model": config["model"], "start": name}
    return models


def presets(showroom) -> dict[str, dict]:
    """The presets whose model this app serves (fine-tuning the CGAN needs ``cgan``)."""
    served = model_choices(showroom)
    return {name: preset for name, preset in PRESETS.items() if preset["settings"]["model"] in served}


def widget_tables(showroom) -> dict:
    """What the browser's digits tab reads (``site.digits``): its values' order, models, objectives' table
    (``site.playground.objectives``), presets, the collapse alarm's table, and its sizes."""
    return {
        "controls": list(CONTROLS),
        "settings": {key: s.to_dict() for key, s in SETTINGS.items()},
        "parts": PARTS,
        "models": model_choices(showroom),
        "presets": presets(showroom),
        "alarm": {**DIGIT_ALARM, "words": {**DIGIT_ALARM["words"], "early": EARLY_WORDS}, **ALARM_LIVE},
        "sizes": {"grid": GRID, "read": READ, "step": STEP, "measure_every": MEASURE_EVERY, "max_steps": MAX_STEPS},
        "phone_batch": PHONE_BATCH,
    }


def command(name: str) -> str:
    """A ``js`` handler that hands a button press to the browser's digits tab, queued until it has loaded."""
    return browser.js("command", VIEW, name)


BUTTONS = ("Play", "Pause", "Step", "Reset", "Save")


def describe(ctx: Context) -> dict:
    """The tab's controls (the view takes their values in ``CONTROLS`` order), its buttons and its rules: a preset
    fills the controls, an objective sets its critic steps."""
    fills = ["model", "objective", *SETTINGS]

    def pick(key, options, value, **more):
        return choice(key, LABELS[key], options, value, info=INFO[key], **more)

    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "intro": INTRO,
            "view": {"id": VIEW, "widget": "digits", "values": list(CONTROLS)},
            "buttons": list(BUTTONS),
            "button_prefix": f"{TAB}-",  # (#digits-play: the Playground's own are #play, #step...)
            "stage": True,  # a phone keeps its grid in view above the controls (views.css)
            "controls": [
                pick("preset", presets(ctx.showroom), None, name="preset", elem_id="digits-preset"),
                pick("model", model_choices(ctx.showroom), next(iter(SCRATCH))),
                pick("objective", OBJECTIVE_CHOICES, "gan", radio=True),
                *(setting(k, s, number=not s.whole or k == "seed", info=INFO[k]) for k, s in SETTINGS.items()),
                pick("part", PARTS, "both", radio=True),
            ],
            "link": ["preset", "model", "objective", *SETTINGS],
            "rules": [
                {"rule": "preset", "control": "preset", "fills": fills, "note": "digits-preset-note", "table": TAB},
                {"rule": "critic_steps", "control": "objective", "sets": "critic"},
            ],
        }
    )


def _controls(spec: dict) -> dict:
    controls = by_key(spec)
    c = {"preset": component(controls["preset"])}
    c["preset_note"] = gr.Markdown(elem_id="digits-preset-note")
    for row in ROWS:
        if len(row) == 1:
            c[row[0]] = component(controls[row[0]])
            continue
        with gr.Row():
            for key in row:
                c[key] = component(controls[key])
    return the_rest(spec, c)


def _rules(spec: dict, c: dict) -> None:
    """The description's rules as browser-only events (web/front/rules.js, through web/app/gradio.js)."""
    fills = next(rule["fills"] for rule in spec["rules"] if rule["rule"] == "preset")
    outputs = [*(c[k] for k in fills), c["preset_note"]]
    preset, note = browser.js("tablePreset", TAB, VIEW, fills), browser.js("tablePresetNote", TAB)
    c["preset"].input(None, c["preset"], outputs, js=preset, api_visibility="private")
    c["preset"].change(None, c["preset"], c["preset_note"], js=note, api_visibility="private")
    c["objective"].input(None, c["objective"], c["critic"], js=browser.js("criticSteps"), api_visibility="private")


def build(ctx: Context, share: links.ViewLinks) -> None:
    spec = describe(ctx)
    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row(elem_id="digits-row", elem_classes=["gd-stage"]):
            with gr.Column(scale=2):
                c = _controls(spec)
            with gr.Column(scale=3):
                with gr.Row(elem_id="digits-buttons"):
                    for name in BUTTONS:
                        variant = "primary" if name == "Play" else "secondary"
                        button = gr.Button(name, variant=variant, elem_id=f"digits-{name.lower()}", min_width=60)
                        button.click(None, None, None, js=command(name.lower()), api_visibility="private")
                browser.view(VIEW, "digits", ctx.site)
        browser.follow(VIEW, [c[key] for key in CONTROLS], share)
        _rules(spec, c)
    share.track(TAB, tab, link_fields(spec, c))
