"""The Playground's sessions: what each of its events does on the server (one training session per browser
tab, at most ``slots`` per server, freed when the tab closes or idles)."""

from __future__ import annotations

import atexit
import time
from pathlib import Path

import gradio as gr

from .. import inputs
from ..playground import (
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
from ..plots import PLOT_LIMIT
from .context import Context
from .errors import user_errors

# While playing, one streaming event pushes a frame every FRAME_S (training runs in its own thread);
# a Timer polling instead costs a full request per frame and managed about 7 frames/s on 2 cores.
PLAYGROUND_FRAME_S = 1 / 15
PLAYGROUND_CHART_S = 0.5  # the loss chart changes slowly: send it twice a second
# the Playground's settings, in the order its handlers take them (then the visitor's points, part, speed)
SETTING_NAMES = ("objective", "target", "width", "depth", "g_lr", "d_lr", "critic", "gp", "batch", "start", "arrows")
MAX_POINTS_FILE_BYTES = 1 << 20
MAX_LOCAL_SAVES = 50  # a playground model is at most about 7 MB, so at most about 350 MB per server run


class PlaygroundHandlers:
    """The Playground's session keeping; every public handler checks each value it is sent and names it."""

    def __init__(self, ctx: Context, *, slots: int, idle_timeout_s: float):
        self.ctx = ctx
        self.showroom, self.toys, self.public = ctx.showroom, ctx.toys, ctx.public
        self.limiter = SessionLimiter(slots, idle_timeout_s=idle_timeout_s)
        atexit.register(self.limiter.close_all)  # no training thread may outlive the server
        self.saves = ctx.saves
        self.saved_here: list = []  # Playground saves written into the checkpoint folder (local use): capped

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
            choices = gr.Dropdown(choices=self.showroom.names("8gaussians"))
            return message, None, choices, mine
        with session.snapshot():
            folder = save_archive(session, self.saves.new_path(f"{name}.zip"))
        mine = {**(mine or {}), name: folder}
        message = (
            f"Saved **{name}**: download it below (unzip, then `gandemo.load_generator(folder)`); "
            "it is also in your 8 Gaussians tab, for you only, while this page is open."
        )
        choices = gr.Dropdown(choices=self.toys + list(mine), value=name)
        return message, f"{folder}.zip", choices, mine

    def saved_for_browser(self, mine) -> dict:
        """Which saved models this page's 2-D view asks the server to draw: name -> its save folder (a public
        server's, this visitor's only), or "" for a model saved into the app's folder."""
        if self.saves is None:
            return {folder.name: "" for folder in self.saved_here}
        return {name: str(folder) for name, folder in (mine or {}).items()}

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
