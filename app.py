"""gandemo's Gradio app: UI wiring only. Everything it shows comes from ``gandemo.showroom``.

python app.py [--device auto] [--checkpoints checkpoints] [--hub-repo USER/REPO] [--host H] [--port P] [--share]
"""

from __future__ import annotations

import argparse
import atexit
import functools
import inspect
import logging
import os
import secrets
import time
import uuid
from pathlib import Path

import gradio as gr
from PIL import Image

from gandemo import inputs, links
from gandemo.objectives import OBJECTIVES
from gandemo.playground import (
    PART_CHOICES,
    PRESETS,
    SPEEDS,
    TARGETS,
    YOUR_POINTS,
    Playground,
    PlaygroundSettings,
    SessionLimiter,
    parse_points,
    save_archive,
)
from gandemo.plots import PLOT_LIMIT
from gandemo.serving import TempFiles, bound_memory, is_public
from gandemo.showroom import ALL_DIGITS, MAX_GRID, MAX_POINTS, MAX_STEPS, Showroom

log = logging.getLogger("gandemo.app")

try:  # ZeroGPU Spaces: borrow a GPU for each call; elsewhere a no-op
    import spaces

    gpu = spaces.GPU
except ImportError:

    def gpu(fn):
        return fn


# Grids are sent small (cheap to encode) and enlarged by the browser with crisp, unblurred pixels.
CSS = """
#grid img, #strip img, #snapshot img, #compare img { image-rendering: pixelated; }
#grid img { width: 100%; height: auto; max-height: 80vh; object-fit: contain; }
#compare .grid-container { grid-template-columns: repeat(var(--grid-cols), minmax(0, 1fr)) !important; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
@media (max-width: 640px) {
  #compare .grid-container { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; }  /* two a row */
  #playground-row { flex-direction: column-reverse; }  /* the picture and its buttons above the settings */
}
"""
DIGITS = [ALL_DIGITS] + [str(d) for d in range(10)]
SEED_SLIDER_MAX = 999


def _tag_images(value):
    """Give each returned PIL image a unique PNG text chunk (pixels unchanged).

    Gradio caches an output under the hash of its bytes and rewrites that file for every request
    that produces it, so two users asking for the same grid at once could download it mid-rewrite
    (an empty file). Distinct bytes mean distinct cache files.
    """
    if isinstance(value, Image.Image):
        value.info["gandemo-request"] = uuid.uuid4().hex
    elif isinstance(value, (list, tuple)):
        for item in value:
            _tag_images(item)
    return value


UNEXPECTED = "Something went wrong on the server with this request (it has been logged). Please try again."


def _visitor_error(fn, error: Exception) -> gr.Error:
    """A ValueError carries a sentence written for the visitor; anything else is logged in full and the
    visitor gets one plain sentence, with no paths or internals."""
    if isinstance(error, gr.Error):
        return error
    if isinstance(error, ValueError):
        return gr.Error(str(error))
    log.exception("unexpected error in %s", fn.__name__)
    return gr.Error(UNEXPECTED)


def user_errors(fn):
    """Every handler's errors reach the visitor (UI and API) as one clear sentence, never a traceback."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def stream(*args, **kwargs):
            try:
                for frame in fn(*args, **kwargs):
                    yield _tag_images(frame)
            except Exception as error:
                raise _visitor_error(fn, error) from None

        return stream

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return _tag_images(fn(*args, **kwargs))
        except Exception as error:
            raise _visitor_error(fn, error) from None

    return wrapper


def _seed_controls(label: str = "seed", value: int = 0, elem_id: str | None = None):
    """A number box (any seed), a slider (quick browsing) and a random button, kept in step."""
    with gr.Row():
        number = gr.Number(value=value, label=label, minimum=0, scale=2, elem_id=elem_id)
        slider = gr.Slider(0, SEED_SLIDER_MAX, value=value, step=1, label=f"{label} (browse)", scale=3)
        dice = gr.Button("Random", scale=1, min_width=80)
    slider.release(lambda s: s, slider, number, api_visibility="private")
    number.change(  # a seed typed or restored from a link moves the slider too, when it is in the slider's range
        lambda n: n if isinstance(n, (int, float)) and 0 <= n <= SEED_SLIDER_MAX else gr.skip(),
        number,
        slider,
        api_visibility="private",
    )
    dice.click(lambda: secrets.randbelow(2**31), None, number, api_visibility="private")
    return number


# While playing, one streaming event pushes a frame every FRAME_S (training runs in its own thread);
# a Timer polling instead costs a full request per frame and managed about 7 frames/s on 2 cores.
PLAYGROUND_FRAME_S = 1 / 15
PLAYGROUND_CHART_S = 0.5  # the loss chart changes slowly: send it twice a second
# the Playground's settings, in the order its handlers take them (then the visitor's points, part, speed)
SETTING_NAMES = ("objective", "target", "width", "depth", "g_lr", "d_lr", "critic", "gp", "batch", "start", "arrows")
MAX_POINTS_FILE_BYTES = 1 << 20
MAX_LOCAL_SAVES = 50  # a playground model is at most about 7 MB, so at most about 350 MB per server run


class Handlers:
    """What each event does: a line or two into gandemo for the tabs, the Playground's session keeping."""

    def __init__(self, showroom: Showroom, *, playground_sessions: int, idle_timeout_s: float, public: bool):
        self.showroom = showroom
        self.mnist, self.toys = showroom.names("mnist"), showroom.names("8gaussians")
        self.first = "dcgan" if "dcgan" in self.mnist else (self.mnist[0] if self.mnist else None)
        self.public = public
        self.limiter = SessionLimiter(playground_sessions, idle_timeout_s=idle_timeout_s)
        atexit.register(self.limiter.close_all)  # no training thread may outlive the server
        self.saves = TempFiles(max_entries=32, prefix="gandemo-saves-") if public else None
        if self.saves is not None:
            atexit.register(self.saves.cleanup)
        atexit.register(showroom.temp.cleanup)
        self.saved_here: list = []  # Playground saves written into the checkpoint folder (local use): capped

    @user_errors
    def generate(self, model: str, seed: float, rows: float, cols: float, digit: str = ALL_DIGITS):
        """A rows x cols grid of samples (PNG); for the CGAN a digit 0-9 or "all digits" (the label sweep)."""
        return self.showroom.generate(model, seed, rows, cols, digit)

    @user_errors
    def compare(self, seed: float, rows: float = 4, cols: float = 4):
        """The same seed through every MNIST model."""
        return self.showroom.compare(seed, rows, cols)

    @user_errors
    def interpolate(
        self, model: str, seed_a: float, seed_b: float, steps: float, method: str, digit: str | None = None
    ):
        """A latent walk from seed A to seed B: a strip of frames and an animated GIF."""
        return self.showroom.interpolate(model, seed_a, seed_b, steps, method, digit)

    @user_errors
    def toy(self, model: str, seed: float, points: float, mine: dict | None = None):
        """Real vs generated points over the critic's map, and mode coverage of this draw (numbers, words)."""
        return self.showroom.toy(model, seed, points, extra=mine)

    def about_toy(self, model: str, mine: dict | None):
        if isinstance(model, str) and mine and model in mine:
            return f"### {model}\n\nYour own model, trained in the Playground: it shows only to you."
        return self.showroom.about(model, with_metrics=False)  # the tab measures each draw itself

    @user_errors
    def training(self, model: str):
        """Loss curves, the number of timeline snapshots, the newest snapshot and the model card."""
        curves, snapshots, card = self.showroom.training(model)
        last = len(snapshots) - 1
        slider = gr.Slider(0, max(last, 1), value=max(last, 0), step=1, interactive=last > 0)
        return curves, slider, str(snapshots[-1]) if snapshots else None, card

    @user_errors
    def timeline(self, model: str, index: float):
        """Timeline snapshot number ``index`` (0 = first) of a model's fixed-noise training grids."""
        _, snapshots, _ = self.showroom.training(model)
        if not snapshots:
            raise ValueError(f"{model!r} has no training timeline")
        return str(snapshots[inputs.whole(index, "snapshot", 0, len(snapshots) - 1)])

    def model_changed(self, model: str):
        conditional = self.showroom.is_conditional(model)
        return gr.Dropdown(visible=conditional), self.showroom.about(model)

    def playground_view(self, session, arrows: bool = False, playing: bool | None = None):
        # read `playing` before the view: once it is False the thread has published its final weights
        playing = session.playing if playing is None else playing
        view = session.view  # the weights the training thread last published: no waiting on it
        picture, stats = session.render(view, arrows=arrows), session.status(view, playing)
        return session, picture, stats, session.render_losses(view), session.narrator.markdown()

    @user_errors
    def playground_open(
        self,
        session,
        objective,
        target,
        width,
        depth,
        g_lr,
        d_lr,
        critic,
        gp,
        batch,
        start,
        arrows,
        points,
        part="both",
        speed="full speed",
        request: gr.Request = None,
    ):
        """Start a fresh session from the settings (or a shipped 2-D checkpoint), replacing the old one."""
        settings = PlaygroundSettings.from_inputs(
            objective, target, width, depth, g_lr, d_lr, critic, gp, batch, points
        )
        start = inputs.choice(start, "start from", ["scratch", *self.toys])
        arrows = inputs.flag(arrows, "arrows")
        part, speed = inputs.choice(part, "train", PART_CHOICES), inputs.choice(speed, "speed", list(SPEEDS))
        self.limiter.close(session)
        if start != "scratch":
            self.showroom.model(start)  # the same clear error as every other tab if its folder is gone
        start_from = None if start == "scratch" else self.showroom.root / start
        opened = self.limiter.open(settings, start_from=start_from, owner=request.session_hash if request else None)
        opened.show_arrows, opened.part, opened.steps_per_s = arrows, part, SPEEDS[speed]
        return self.playground_view(opened, opened.show_arrows)

    @user_errors
    def playground_stream(self, session):
        """While this tab's session plays, a frame every PLAYGROUND_FRAME_S; ends with a last frame on pause."""
        self.limiter.check(session)
        if session.streaming:  # Play pressed again while playing: the running stream carries on
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()  # (an empty generator would blank the outputs)
            return
        session.streaming = True
        try:
            next_frame = charted = time.perf_counter()
            while True:
                if session.closed or session.evicted:  # Reset replaced it, or its tab closed: leave the view
                    return
                session.touch()  # a frame goes to an open tab: its visitor is still here
                playing = session.playing  # once False, this frame is the last and shows the final weights
                _, picture, stats, losses, story = self.playground_view(session, session.show_arrows, playing)
                now = time.perf_counter()
                slow = not playing or now - charted >= PLAYGROUND_CHART_S  # chart and narration change slowly
                charted = now if slow else charted
                yield picture, stats, losses if slow else gr.skip(), story if slow else gr.skip()
                if session.error:
                    raise ValueError(session.error)
                if not playing:
                    return
                next_frame = max(next_frame + PLAYGROUND_FRAME_S, now)  # never queue up frames after a stall
                time.sleep(max(0.0, next_frame - time.perf_counter()))
        except Exception:
            if session.closed or session.evicted:  # closed while a frame was drawn: nothing to show
                return
            raise
        finally:
            session.streaming = False

    @user_errors
    def playground_step(self, session, arrows):
        """Ten more training steps of this client's session, then its state."""
        session = self.limiter.check(session)
        arrows = inputs.flag(arrows, "arrows")
        with session.snapshot():
            session.train(10)
        return self.playground_view(session, arrows)

    @user_errors
    def playground_save(self, session, mine):
        """Save this session's model: on a public server as a .zip for this visitor only, else into the app."""
        session = self.limiter.check(session)
        name = f"playground-{session.settings.objective}-{id(session) % 10**6:06d}-step{session.step}"
        if self.saves is None:
            if len(self.saved_here) >= MAX_LOCAL_SAVES:
                raise ValueError(
                    f"this server has saved {MAX_LOCAL_SAVES} Playground models into {self.showroom.root} already; "
                    "restart it to save more"
                )
            with session.snapshot():
                folder = session.save(self.showroom.root / name)
            self.showroom.add(folder.name)
            self.saved_here.append(folder)
            message = f"Saved to `{folder}`: pick **{name}** in the 8 Gaussians tab."
            return message, None, gr.Dropdown(choices=self.showroom.names("8gaussians")), mine
        with session.snapshot():
            folder = save_archive(session, self.saves.new_path(f"{name}.zip"))
        mine = {**(mine or {}), name: folder}
        message = (
            f"Saved **{name}**: download it below (unzip, then `gandemo.load_generator(folder)`); "
            "it is also in your 8 Gaussians tab, for you only, while this page is open."
        )
        choices = self.toys + list(mine)
        return message, f"{folder}.zip", gr.Dropdown(choices=choices, value=name), mine

    @user_errors
    def playground_preview(
        self, objective, target, width, depth, g_lr, d_lr, critic, gp, batch, start, arrows, points, *_live
    ):
        """What Reset would start from, drawn without opening a session (no slot taken, nothing trains)."""
        settings = PlaygroundSettings.from_inputs(
            objective, target, width, depth, g_lr, d_lr, critic, gp, batch, points
        )
        start = inputs.choice(start, "start from", ["scratch", *self.toys])
        preview = Playground(settings, start_from=None if start == "scratch" else self.showroom.root / start)
        _, picture, stats, chart, _ = self.playground_view(preview, inputs.flag(arrows, "arrows"))
        return picture, stats.replace("**step 0**", "**step 0** (press Play to train)"), chart

    @user_errors
    def start_playing(self, request: gr.Request, current, *settings):  # (Gradio fills only positional specials)
        usable = current is not None and not (current.closed or current.evicted)
        opened = self.limiter.check(current) if usable else self.playground_open(current, *settings, request=request)[0]
        opened.play()
        return opened

    @user_errors
    def play_preset(self, current, name, arrows, part, speed, request: gr.Request):
        """One click: the preset's settings into the controls, a fresh session with them, playing."""
        preset = PRESETS[inputs.choice(name, "preset", list(PRESETS))]
        s = preset.settings
        values = (s.objective, s.target, s.width, s.depth, s.g_lr, s.d_lr, s.critic_steps, s.gp_weight, s.batch_size)
        opened = self.playground_open(current, *values, "scratch", arrows, (), part, speed, request=request)[0]
        opened.play()
        return opened, *values, "scratch", f"**{name}.** {preset.explanation}"

    def _redraw_with_points(self, current, points, settings):
        """The visitor changed their own target: it starts over, shown as a preview (no slot held).
        ``settings`` are the Playground's inputs after the session: SETTING_NAMES, points, part, speed."""
        self.limiter.close(current)
        settings = list(settings)
        if points:
            settings[1] = YOUR_POINTS
        elif settings[1] == YOUR_POINTS:
            settings[1] = TARGETS[0]
        settings[len(SETTING_NAMES)] = points
        return None, points, gr.Dropdown(value=settings[1]), *self.playground_preview(*settings), ""

    @user_errors
    def add_point(self, evt: gr.SelectData, current, *settings):
        """A click on the Playground's plot adds a point of the visitor's own target there."""
        points = [list(p) for p in (settings[len(SETTING_NAMES)] or [])]
        if len(points) >= 200:
            raise ValueError("you can click at most 200 points; upload a CSV for more")
        x, y = evt.index  # pixels of the 420-px picture, y downwards
        size = Playground.RENDER_SIZE
        points.append([round((x / size * 2 - 1) * PLOT_LIMIT, 3), round((1 - y / size * 2) * PLOT_LIMIT, 3)])
        return self._redraw_with_points(current, points, settings)

    @user_errors
    def upload_points(self, current, file, *settings):
        """A CSV of x,y rows becomes the visitor's own target."""
        if not file:
            return (gr.skip(),) * 7
        path = Path(file)
        if path.stat().st_size > MAX_POINTS_FILE_BYTES:
            raise ValueError(f"the points file is over {MAX_POINTS_FILE_BYTES >> 20} MB; send at most 5,000 x,y rows")
        points = parse_points(path.read_text(encoding="utf-8", errors="replace")).tolist()
        return self._redraw_with_points(current, [[round(x, 4), round(y, 4)] for x, y in points], settings)

    @user_errors
    def clear_points(self, current, *settings):
        return self._redraw_with_points(current, [], settings)

    def live_option(self, current, part, speed):
        """What trains and how fast: they apply at once to a running session."""
        if current is not None and not (current.closed or current.evicted):
            if part in PART_CHOICES:
                current.part = part
            if speed in SPEEDS:
                current.steps_per_s = SPEEDS[speed]

    @user_errors
    def show_arrows(self, current, value):
        if current is not None and not (current.closed or current.evicted):
            current.show_arrows = bool(value)
            if not current.playing:
                return self.playground_view(current, current.show_arrows)[1]
        return gr.skip()

    def tab_closed(self, request: gr.Request):
        """A closed tab's session stops now (Gradio would keep its state, and so its slot, for an hour)."""
        self.limiter.close_owner(request.session_hash)


class ViewLinks:
    """The address bar follows the open tab and its settings, and a link's values come back into them.

    Each tab ``track``s its shareable fields (key -> component and reader) and how it draws itself; the
    tab draws on arrival, and after a link is restored."""

    def __init__(self, link: gr.Textbox):
        self.link = link
        self.tabs: dict[str, dict[str, tuple[gr.components.Component, links.Reader]]] = {}
        self.draws: dict[str, tuple] = {}
        self.after_first_paint: list[tuple] = []  # (fn, inputs, outputs): work that may wait for the pictures

    def track(self, tab_id: str, tab: gr.Tab, fields: dict, draw: tuple, *, first: bool = False) -> None:
        """``first``: the tab open when a page loads (the page load draws it: Gradio also fires its
        ``select`` then, which would draw it twice)."""
        self.tabs[tab_id], self.draws[tab_id] = fields, draw
        components = [component for component, _ in fields.values()]
        script = links.link_script(tab_id, list(fields))
        for component in components:
            component.change(None, [*components, self.link], self.link, js=script, api_visibility="private")
        if not first:
            fn, draw_inputs, outputs = draw
            tab.select(fn, draw_inputs, outputs, api_visibility="private", preprocess=False)  # content on arrival
        tab.select(None, [*components, self.link], self.link, js=script, api_visibility="private")

    def _read(self, request: gr.Request | None, *, warn: bool = True) -> tuple[str | None, dict]:
        tab, linked, problems = links.read_link(dict(request.query_params) if request else {}, self.readers)
        for problem in problems if warn else ():
            gr.Warning(problem)
        return tab, linked

    def _draw(self, tab: str, linked: dict, values) -> list:
        """Draw ``tab`` from its inputs' current ``values``, with the link's values in place of theirs."""
        fn, draw_inputs, outputs = self.draws[tab]
        by_component = {id(self.tabs[tab][key][0]): value for key, value in linked.items()}
        result = fn(*(by_component.get(id(c), value) for c, value in zip(draw_inputs, values, strict=True)))
        return [result] if len(outputs) == 1 else list(result)

    def wire(self, demo: gr.Blocks, tabs: gr.Tabs, first: str, first_picture: str) -> None:
        """Page load: the first tab's pictures (in the linked view's settings, if the link is to it) in one
        small request, as early as possible; once ``first_picture`` (a CSS selector) is on screen, the
        link's tab and values, that tab's pictures, and the rest (requests sent while the first picture
        downloads slowed it by about 10%, measured with ``benchmarks/first_paint.py``)."""
        _, first_inputs, first_outputs = self.draws[first]
        self.readers = {tab: {key: read for key, (_, read) in f.items()} for tab, f in self.tabs.items()}

        def first_paint(request: gr.Request, *values):
            tab, linked = self._read(request, warn=False)  # (the restore below names any bad values)
            if tab not in (None, first):
                return gr.skip() if len(first_outputs) == 1 else (gr.skip(),) * len(first_outputs)
            shown = self._draw(first, linked, values)
            return shown[0] if len(shown) == 1 else shown

        others = [(tab, draw) for tab, draw in self.draws.items() if tab != first]
        inputs = [c for _, (_, ins, _) in others for c in ins]
        fields = [component for f in self.tabs.values() for component, _ in f.values()]

        def restore(request: gr.Request, *values):
            tab, linked = self._read(request) if request and request.query_params.get("tab") else (None, {})
            shown, start = [], 0
            for tab_id, (_, draw_inputs, outputs) in others:
                args, start = values[start : start + len(draw_inputs)], start + len(draw_inputs)
                shown += self._draw(tab, linked, args) if tab_id == tab else [gr.skip()] * len(outputs)
            keys = [(t, key) for t, f in self.tabs.items() for key in f]
            restored = [linked.get(key, gr.skip()) if t == tab else gr.skip() for t, key in keys]
            return gr.Tabs(selected=tab) if tab else gr.skip(), *restored, *shown

        outputs = [tabs, *fields, *(c for _, (_, _, outs) in others for c in outs)]
        event = demo.load(first_paint, first_inputs, first_outputs, api_visibility="private", preprocess=False)
        event = event.then(None, js=links.wait_for_picture(first, first_picture), api_visibility="private")
        event = event.then(restore, inputs, outputs, api_visibility="private", preprocess=False)
        for fn, later_inputs, later_outputs in self.after_first_paint:
            event = event.then(fn, later_inputs, later_outputs, api_visibility="private")
        ready = f"() => {{ {links.READY} = true; return location.href; }}"  # from now on the address follows
        event.then(None, None, self.link, js=ready, api_visibility="private")


def _mnist_tab(app: Handlers, share: ViewLinks) -> None:
    showroom, first = app.showroom, app.first
    with gr.Tab("MNIST generators", id="generate") as tab:
        with gr.Row():
            with gr.Column(scale=2):
                model = gr.Dropdown(app.mnist, value=first, label="model")
                digit = gr.Dropdown(DIGITS, value=ALL_DIGITS, label="digit", visible=showroom.is_conditional(first))
                seed = _seed_controls()
                with gr.Row():
                    rows = gr.Slider(1, MAX_GRID, value=8, step=1, label="rows")
                    cols = gr.Slider(1, MAX_GRID, value=8, step=1, label="columns")
            grid = gr.Image(format="png", type="pil", label="samples", buttons=["download"], elem_id="grid", scale=3)
        info = gr.Markdown(elem_id="model-info")  # filled after the first grid: its math takes a while to render
        model.change(app.model_changed, model, [digit, info], api_visibility="private")
        grid_inputs = [model, seed, rows, cols, digit]
        generate = gpu(app.generate)
        # preprocess=False on every public event: the handlers check each value themselves and name it
        for control in grid_inputs:
            control.change(
                generate,
                grid_inputs,
                grid,
                api_name="generate" if control is model else False,
                trigger_mode="always_last",
                show_progress="minimal",
                preprocess=False,
            )
    fields = {
        "model": (model, links.choice("model", app.mnist)),
        "seed": (seed, links.seed()),
        "rows": (rows, links.whole("rows", 1, MAX_GRID)),
        "cols": (cols, links.whole("columns", 1, MAX_GRID)),
        "digit": (digit, links.choice("digit", DIGITS)),
    }
    share.track("generate", tab, fields, (generate, grid_inputs, [grid]), first=True)
    share.after_first_paint.append((app.model_changed, [model], [digit, info]))


def _compare_tab(app: Handlers, share: ViewLinks) -> None:
    with gr.Tab("Compare", id="compare") as tab:
        seed = _seed_controls()
        gallery = gr.Gallery(
            label="every MNIST model, same seed",
            columns=4,
            format="png",
            height="auto",
            object_fit="contain",
            elem_id="compare",
        )
        compare = gpu(app.compare)
        seed.change(compare, seed, gallery, api_name="compare", trigger_mode="always_last", preprocess=False)
    share.track("compare", tab, {"seed": (seed, links.seed())}, (compare, [seed], [gallery]))


def _walk_tab(app: Handlers, share: ViewLinks) -> None:
    with gr.Tab("Latent walk", id="walk") as tab:
        with gr.Row():
            model = gr.Dropdown(app.mnist, value=app.first, label="model")
            conditional = app.showroom.is_conditional(app.first)
            digit = gr.Dropdown(DIGITS[1:], value="3" if conditional else None, label="digit", visible=conditional)
            method = gr.Radio(["slerp", "lerp"], value="slerp", label="interpolation")
            steps = gr.Slider(2, MAX_STEPS, value=10, step=1, label="steps")
        seed_a, seed_b = _seed_controls("seed A", 0), _seed_controls("seed B", 1)
        walk = gr.Button("Walk", variant="primary")
        strip = gr.Image(format="png", type="pil", label="frames", buttons=["download"], elem_id="strip")
        gif = gr.Image(type="filepath", label="animated GIF", buttons=["download"], elem_id="gif")
        model.change(
            lambda m: gr.Dropdown(visible=app.showroom.is_conditional(m)), model, digit, api_visibility="private"
        )
        walk_inputs, interpolate = [model, seed_a, seed_b, steps, method, digit], gpu(app.interpolate)
        walk.click(interpolate, walk_inputs, [strip, gif], api_name="interpolate", preprocess=False)
    fields = {
        "model": (model, links.choice("model", app.mnist)),
        "seed": (seed_a, links.seed("seed A")),
        "seed_b": (seed_b, links.seed("seed B")),
        "steps": (steps, links.whole("steps", 2, MAX_STEPS)),
        "method": (method, links.choice("interpolation", ["slerp", "lerp"])),
        "digit": (digit, links.choice("digit", DIGITS[1:])),
    }
    share.track("walk", tab, fields, (interpolate, walk_inputs, [strip, gif]))


def _toy_tab(app: Handlers, share: ViewLinks) -> tuple[gr.Dropdown, gr.State]:
    """The 8 Gaussians tab; returns its model list and the visitor's own saved models (the Playground adds)."""
    with gr.Tab("8 Gaussians", id="toy") as tab:
        with gr.Row():
            with gr.Column(scale=2):
                model = gr.Dropdown(app.toys, value=app.toys[0] if app.toys else None, label="model")
                seed = _seed_controls(elem_id="toy-seed")
                points = gr.Slider(100, MAX_POINTS, value=2500, step=100, label="points")
                draw = gr.Button("Draw", variant="primary")
                coverage_words = gr.Markdown(elem_id="coverage")
                coverage = gr.JSON(visible=False)  # the same numbers for API clients
            plot = gr.Image(format="png", type="pil", label="real vs generated", elem_id="toy-plot", scale=3)
        about = gr.Markdown(app.about_toy(app.toys[0], None) if app.toys else "", elem_id="toy-info")
        mine = gr.State({})  # this visitor's own saved Playground models (public servers): name -> folder
        toy_inputs, toy, shown = [model, seed, points, mine], gpu(app.toy), [plot, coverage, coverage_words]
        for control in toy_inputs[:3]:
            control.change(toy, toy_inputs, shown, api_name=False, trigger_mode="always_last", preprocess=False)
        model.change(app.about_toy, [model, mine], about, api_visibility="private")
        draw.click(toy, toy_inputs, shown, api_name="toy", preprocess=False)
    fields = {
        "model": (model, links.choice("model", app.toys)),
        "seed": (seed, links.seed()),
        "points": (points, links.whole("points", 100, MAX_POINTS)),
    }
    share.track("toy", tab, fields, (toy, toy_inputs, shown))
    return model, mine


def _training_tab(app: Handlers, share: ViewLinks) -> None:
    with gr.Tab("Training", id="training") as tab:
        model = gr.Dropdown(app.mnist + app.toys, value=app.first, label="model", elem_id="training-model")
        curves = gr.Image(format="png", type="pil", label="losses", elem_id="losses")
        index = gr.Slider(0, 1, value=0, step=1, label="timeline snapshot (fixed noise)")
        snapshot = gr.Image(type="filepath", label="samples at that point of training", elem_id="snapshot")
        card = gr.Markdown(elem_id="card")
        model.change(app.training, model, [curves, index, snapshot, card], api_name="training", preprocess=False)
        index.change(app.timeline, [model, index], snapshot, api_name="timeline", preprocess=False)
    fields = {"model": (model, links.choice("model", app.mnist + app.toys))}
    share.track("training", tab, fields, (app.training, [model], [curves, index, snapshot, card]))


def _playground_controls(app: Handlers) -> dict:
    """The Playground's settings, buttons and outputs, by name; each setting says what it does."""
    c = {}
    c["preset"] = gr.Dropdown(
        list(PRESETS),
        value=None,
        label="try a classic experiment",
        info="one click: its settings, a fresh start, and it plays",
        elem_id="preset",
    )
    c["preset_note"] = gr.Markdown(elem_id="preset-note")
    with gr.Row():
        c["objective"] = gr.Radio(
            list(OBJECTIVES), value="wgan-gp", label="objective", info="how the two networks score each other"
        )
        c["target"] = gr.Dropdown(
            list(TARGETS), value=TARGETS[0], label="target", info="the real data; click the plot to draw your own"
        )
    c["start"] = gr.Dropdown(
        ["scratch", *app.toys], value="scratch", label="start from", info="fresh networks, or a shipped 2-D model"
    )
    with gr.Row():
        c["width"] = gr.Slider(8, 512, value=128, step=8, label="width", info="neurons per hidden layer (both nets)")
        c["depth"] = gr.Slider(1, 4, value=3, step=1, label="hidden layers", info="more layers: bendier shapes")
    with gr.Row():
        c["g_lr"] = gr.Number(
            1e-4, label="generator lr", minimum=1e-6, maximum=1e-2, info="how far the generator moves per step"
        )
        c["d_lr"] = gr.Number(
            1e-4, label="critic lr", minimum=1e-6, maximum=1e-2, info="how far the discriminator moves per step"
        )
    with gr.Row():
        c["critic"] = gr.Slider(
            1, 10, value=5, step=1, label="critic steps per generator step", info="lets the discriminator keep up"
        )
        c["gp"] = gr.Number(
            0.1, label="penalty weight", minimum=0, maximum=100, info="gradient penalty (-gp objectives): smoothness"
        )
        c["batch"] = gr.Slider(16, 1024, value=256, step=16, label="batch size", info="points per step, each side")
    with gr.Row():
        c["part"] = gr.Radio(
            list(PART_CHOICES), value="both", label="train", info="freeze one network to watch the other (live)"
        )
        c["speed"] = gr.Radio(list(SPEEDS), value="full speed", label="speed", info="slow motion to see each step")
    c["arrows"] = gr.Checkbox(
        False, label="show the generator's gradient arrows", info="where the discriminator pushes each point"
    )
    with gr.Accordion("your own target: click the plot, or upload a CSV of x,y", open=False):
        c["csv"] = gr.File(label="points (.csv: x,y per line)", file_types=[".csv", ".txt"], elem_id="points-file")
        c["clear"] = gr.Button("Clear your points", size="sm")
    c["saved"] = gr.Markdown(elem_id="playground-saved")
    c["saved_file"] = gr.File(label="your saved model (.zip)", visible=app.public, elem_id="playground-zip")
    return c


def _playground_tab(app: Handlers, toy_model: gr.Dropdown, mine: gr.State, share: ViewLinks) -> None:
    with gr.Tab("Playground", id="playground") as tab:
        gr.Markdown(
            "Train a 2-D GAN live, with the same update the offline trainer uses. Settings apply on **Reset**; "
            "**Step** runs 10 steps; **train** and **speed** apply at once."
        )
        session = gr.State(None, delete_callback=app.limiter.close)  # one per browser tab, freed when it closes
        points = gr.State([])  # the visitor's own target, [[x, y], ...]
        with gr.Row(elem_id="playground-row"):
            with gr.Column(scale=2):
                c = _playground_controls(app)
            with gr.Column(scale=3):
                with gr.Row():
                    for name in ("Play", "Pause", "Step", "Reset", "Save"):
                        variant = "primary" if name == "Play" else "secondary"
                        c[name.lower()] = gr.Button(name, variant=variant, elem_id=name.lower(), min_width=60)
                label = "real (orange) vs generated (blue); darker map: judged real"
                field = gr.Image(format="png", type="pil", label=label, elem_id="playground-plot")
                stats = gr.Markdown(elem_id="playground-stats")
                chart = gr.Image(format="png", type="pil", label="losses", elem_id="playground-losses")
                narration = gr.Markdown(elem_id="narration")
        live = [c["part"], c["speed"]]
        settings = [session, *(c[n] for n in SETTING_NAMES), points, *live]
        view = [session, field, stats, chart, narration]
        c["reset"].click(app.playground_open, settings, view, api_name="playground_reset", preprocess=False)
        c["step"].click(app.playground_step, [session, c["arrows"]], view, api_name="playground_step", preprocess=False)
        c["arrows"].change(app.show_arrows, [session, c["arrows"]], field, api_visibility="private")
        for control in live:
            control.change(app.live_option, [session, *live], None, api_visibility="private")
        c["preset"].change(  # (also when a link restores it)
            lambda name: f"**{name}.** {PRESETS[name].explanation}" if name in PRESETS else "",
            c["preset"],
            c["preset_note"],
            api_visibility="private",
        )
        c["objective"].input(  # each objective's customary critic steps (5 for WGAN-GP, else 1)
            lambda name: gr.Slider(value=OBJECTIVES[name].critic_steps) if name in OBJECTIVES else gr.skip(),
            c["objective"],
            c["critic"],
            api_visibility="private",
        )
        redrawn = [session, points, c["target"], field, stats, chart, narration]
        field.select(app.add_point, settings, redrawn, api_visibility="private")
        c["csv"].upload(app.upload_points, [session, c["csv"], *settings[1:]], redrawn, api_visibility="private")
        c["clear"].click(app.clear_points, settings, redrawn, api_visibility="private")
        # the stream holds a worker while it plays: give the streams their own pool, one per session
        stream = dict(concurrency_id="playground-stream", concurrency_limit=app.limiter.capacity)
        c["play"].click(app.start_playing, settings, session, api_visibility="private").then(
            app.playground_stream, session, view[1:], api_visibility="private", **stream
        )
        preset_outputs = [session, *(c[n] for n in SETTING_NAMES[:-1]), c["preset_note"]]
        c["preset"].input(
            app.play_preset, [session, c["preset"], c["arrows"], *live], preset_outputs, api_visibility="private"
        ).then(app.playground_stream, session, view[1:], api_visibility="private", **stream)
        c["pause"].click(lambda current: current and current.pause(), session, None, api_visibility="private")
        c["save"].click(
            app.playground_save,
            [session, mine],
            [c["saved"], c["saved_file"], toy_model, mine],
            api_name="playground_save",
            preprocess=False,
        )
    fields = {
        "preset": (c["preset"], links.choice("preset", list(PRESETS))),
        "objective": (c["objective"], links.choice("objective", list(OBJECTIVES))),
        "target": (c["target"], links.choice("target", [t for t in TARGETS if t != YOUR_POINTS])),
        "width": (c["width"], links.whole("width", 8, 512)),
        "depth": (c["depth"], links.whole("hidden layers", 1, 4)),
        "g_lr": (c["g_lr"], links.number("generator lr", 1e-6, 1e-2)),
        "d_lr": (c["d_lr"], links.number("critic lr", 1e-6, 1e-2)),
        "critic": (c["critic"], links.whole("critic steps", 1, 10)),
        "gp": (c["gp"], links.number("penalty weight", 0, 100)),
        "batch": (c["batch"], links.whole("batch size", 16, 1024)),
    }
    # on arrival: the target and the untrained generator, without starting a session or taking a slot
    share.track("playground", tab, fields, (app.playground_preview, settings[1:], [field, stats, chart]))


def build_demo(
    showroom: Showroom,
    *,
    playground_sessions: int = 4,
    idle_timeout_s: float = 60.0,
    public: bool = False,
    cache_age_s: int = 600,
) -> gr.Blocks:
    """The app. ``public`` (a Space, or ``--public``): Save hands the visitor a .zip instead of writing into
    the shared checkpoint folder. Files returned to visitors are deleted ``cache_age_s`` after they were made."""
    app = Handlers(showroom, playground_sessions=playground_sessions, idle_timeout_s=idle_timeout_s, public=public)
    cache = (max(1, min(60, cache_age_s // 2)), cache_age_s)  # (how often to look, the age that goes)
    with gr.Blocks(title="gandemo", delete_cache=cache) as demo:
        gr.Markdown("# gandemo\nSmall GANs trained offline with `python -m train`, shown live.")
        gr.Markdown(showroom.status(), elem_id="status")
        link = gr.Textbox(
            label="link to this view (the address bar follows too)",
            buttons=["copy"],
            interactive=False,
            max_lines=1,
            elem_id="view-link",
        )
        share = ViewLinks(link)
        with gr.Tabs() as tabs:
            _mnist_tab(app, share)
            _compare_tab(app, share)
            _walk_tab(app, share)
            toy_model, mine = _toy_tab(app, share)
            _training_tab(app, share)
            _playground_tab(app, toy_model, mine, share)
        share.wire(demo, tabs, first="generate", first_picture="#grid img")  # the first paint, then the rest
        demo.unload(app.tab_closed)
    return demo


def parse_args(argv=None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="Serve gandemo's checkpoints in a Gradio app.")
    parser.add_argument("--device", default=env("GANDEMO_DEVICE", "auto"), help="auto, cpu, cuda or mps")
    parser.add_argument("--checkpoints", default=env("GANDEMO_CHECKPOINTS", "checkpoints"), help="checkpoint folder")
    parser.add_argument("--hub-repo", default=env("GANDEMO_HUB_REPO"), help="load checkpoints from this Hub repo")
    parser.add_argument("--host", default=env("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("GRADIO_SERVER_PORT", "7860")))
    parser.add_argument("--share", action="store_true", help="also serve through a temporary public link")
    parser.add_argument(
        "--public",
        action="store_true",
        help="serve anonymous visitors (set by itself on a Space): Save hands out a .zip, never writes the folder",
    )
    parser.add_argument("--playground-slots", type=int, default=int(env("GANDEMO_PLAYGROUND_SLOTS", "4")))
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=float(env("GANDEMO_IDLE_TIMEOUT_S", "60")),
        help="seconds without activity after which a Playground session stops and may lose its slot",
    )
    parser.add_argument(
        "--cache-age",
        type=int,
        default=int(env("GANDEMO_CACHE_AGE_S", "600")),
        help="seconds a file handed to a visitor is kept before it is deleted",
    )
    return parser.parse_args(argv)


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)


def demo_from(args: argparse.Namespace) -> gr.Blocks:
    return build_demo(
        Showroom(args.checkpoints, device=args.device, hub_repo=args.hub_repo),
        playground_sessions=args.playground_slots,
        idle_timeout_s=args.idle_timeout,
        public=is_public(args.public),
        cache_age_s=args.cache_age,
    )


def __getattr__(name: str):
    """A module-level ``demo``, built (from the GANDEMO_* environment) only when asked for: ``gradio app.py``
    reload mode looks it up after each edit, and importing app.py elsewhere loads no checkpoints."""
    if name == "demo":
        globals()["demo"] = built = demo_from(parse_args([]))
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bound_memory()
    args = parse_args()
    demo = demo_from(args)
    serve(demo, server_name=args.host, server_port=args.port, share=args.share)
