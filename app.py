"""gandemo's Gradio app: UI wiring only. Everything it shows comes from ``gandemo.showroom``.

python app.py [--device auto] [--checkpoints checkpoints] [--hub-repo USER/REPO] [--host H] [--port P] [--share]
"""

from __future__ import annotations

import argparse
import atexit
import functools
import os
import secrets
import time
import uuid

import gradio as gr
from PIL import Image

from gandemo.playground import TARGETS, PlaygroundSettings, SessionLimiter
from gandemo.showroom import ALL_DIGITS, MAX_GRID, MAX_POINTS, MAX_STEPS, Showroom

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


def user_errors(fn):
    """Show a ValueError's message to the user (UI and API) instead of a stack trace."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return _tag_images(fn(*args))
        except ValueError as error:
            raise gr.Error(str(error)) from None

    return wrapper


def _seed_controls(label: str = "seed", value: int = 0):
    """A number box (any seed), a slider (quick browsing) and a random button, kept in step."""
    with gr.Row():
        number = gr.Number(value=value, label=label, minimum=0, scale=2)
        slider = gr.Slider(0, SEED_SLIDER_MAX, value=value, step=1, label=f"{label} (browse)", scale=3)
        dice = gr.Button("Random", scale=1, min_width=80)
    slider.release(lambda s: s, slider, number, api_visibility="private")
    dice.click(lambda: secrets.randbelow(2**31), None, number, api_visibility="private")
    return number


# While playing, one streaming event pushes a frame every FRAME_S (training runs in its own thread);
# a Timer polling instead costs a full request per frame and managed about 7 frames/s on 2 cores.
PLAYGROUND_FRAME_S = 1 / 15
PLAYGROUND_CHART_S = 0.5  # the loss chart changes slowly: send it twice a second


def build_demo(showroom: Showroom, *, playground_sessions: int = 4) -> gr.Blocks:
    mnist, toys = showroom.names("mnist"), showroom.names("8gaussians")
    limiter = SessionLimiter(playground_sessions)
    atexit.register(limiter.close_all)  # no training thread may outlive the server
    first = "dcgan" if "dcgan" in mnist else (mnist[0] if mnist else None)

    @user_errors
    @gpu
    def generate(model: str, seed: float, rows: float, cols: float, digit: str = ALL_DIGITS):
        """A rows x cols grid of samples (PNG); for the CGAN a digit 0-9 or "all digits" (the label sweep)."""
        return showroom.generate(model, seed, rows, cols, digit)

    @user_errors
    @gpu
    def compare(seed: float, rows: float = 4, cols: float = 4):
        """The same seed through every MNIST model."""
        return showroom.compare(seed, rows, cols)

    @user_errors
    @gpu
    def interpolate(model: str, seed_a: float, seed_b: float, steps: float, method: str, digit: str | None = None):
        """A latent walk from seed A to seed B: a strip of frames and an animated GIF."""
        return showroom.interpolate(model, seed_a, seed_b, steps, method, digit)

    @user_errors
    @gpu
    def toy(model: str, seed: float, points: float):
        """Real vs generated points over the critic's map, with mode coverage of this draw."""
        return showroom.toy(model, seed, points)

    @user_errors
    def training(model: str):
        """Loss curves, the number of timeline snapshots, the newest snapshot and the model card."""
        curves, snapshots, card = showroom.training(model)
        last = len(snapshots) - 1
        slider = gr.Slider(0, max(last, 1), value=max(last, 0), step=1, interactive=last > 0)
        return curves, slider, str(snapshots[-1]) if snapshots else None, card

    @user_errors
    def timeline(model: str, index: float):
        """Timeline snapshot number ``index`` (0 = first) of a model's fixed-noise training grids."""
        _, snapshots, _ = showroom.training(model)
        if not snapshots:
            raise ValueError(f"{model!r} has no training timeline")
        return str(snapshots[min(max(int(index), 0), len(snapshots) - 1)])

    def model_changed(model: str):
        conditional = showroom.is_conditional(model)
        return gr.Dropdown(visible=conditional), showroom.metrics_markdown(model)

    def playground_view(session, arrows: bool = False, playing: bool | None = None):
        # read `playing` before the view: once it is False the thread has published its final weights
        playing = session.playing if playing is None else playing
        view = session.view  # the weights the training thread last published: no waiting on it
        picture, coverage = session.render(view, arrows=arrows), session.coverage(view)
        lines = [f"**step {view.step}**" + (" (playing)" if playing else "")]
        if session.seconds_training:
            lines.append(f"{session.step / session.seconds_training:.0f} steps/s while training")
        if coverage:
            lines.append(
                f"modes captured {coverage['modes_captured']}/{coverage['modes_total']}, "
                f"high-quality samples {100 * coverage['high_quality_share']:.1f}%"
            )
        return session, picture, " · ".join(lines), session.render_losses(view)

    @user_errors
    def playground_open(session, objective, target, width, depth, g_lr, d_lr, critic, gp, batch, start, arrows):
        """Start a fresh session from the settings (or a shipped 2-D checkpoint), replacing the old one."""
        limiter.close(session)
        settings = PlaygroundSettings(
            objective=objective,
            target=target,
            width=int(width),
            depth=int(depth),
            g_lr=float(g_lr),
            d_lr=float(d_lr),
            critic_steps=int(critic),
            gp_weight=float(gp),
            batch_size=int(batch),
        )
        start_from = None if start in (None, "", "scratch") else showroom.root / start
        if start_from is not None and start not in toys:
            raise ValueError(f"unknown 2-D model {start!r}")
        opened = limiter.open(settings, start_from=start_from)
        opened.show_arrows = bool(arrows)
        return playground_view(opened, opened.show_arrows)

    def playground_stream(session):
        """While this tab's session plays, a frame every PLAYGROUND_FRAME_S; ends with a last frame on pause."""
        if session is None:
            raise gr.Error("press Reset or Play to start a session")
        if session.streaming:  # Play pressed again while playing: the running stream carries on
            yield gr.skip(), gr.skip(), gr.skip()  # (an empty generator would blank the outputs)
            return
        session.streaming = True
        try:
            next_frame = charted = time.perf_counter()
            while True:
                playing = session.playing  # once False, this frame is the last and shows the final weights
                _, picture, stats, losses = playground_view(session, session.show_arrows, playing)
                if session.closed:  # Reset replaced this session while the frame was drawn: leave its view
                    yield gr.skip(), gr.skip(), gr.skip()
                    return
                now = time.perf_counter()
                chart = losses if not playing or now - charted >= PLAYGROUND_CHART_S else gr.skip()
                charted = now if chart is losses else charted
                yield _tag_images((picture, stats, chart))
                if session.error:
                    raise gr.Error(session.error)
                if not playing:
                    return
                next_frame = max(next_frame + PLAYGROUND_FRAME_S, now)  # never queue up frames after a stall
                time.sleep(max(0.0, next_frame - time.perf_counter()))
        finally:
            session.streaming = False

    @user_errors
    def playground_step(session, arrows):
        """Ten more training steps of this client's session, then its state."""
        if session is None:
            raise ValueError("press Reset first to start a session")
        with session.snapshot():
            session.train(10)
        return playground_view(session, arrows)

    def playground_save(session):
        if session is None:
            raise gr.Error("nothing to save yet: start a session first")
        name = f"playground-{session.settings.objective}-{id(session) % 10**6:06d}-step{session.step}"
        with session.snapshot():
            folder = session.save(showroom.root / name)
        showroom.add(folder.name)
        return f"Saved to `{folder}`: pick **{name}** in the 8 Gaussians tab.", gr.Dropdown(
            choices=showroom.names("8gaussians")
        )

    def walk_model_changed(model: str):
        conditional = showroom.is_conditional(model)
        return gr.Dropdown(visible=conditional, value="3" if conditional else None)

    with gr.Blocks(title="gandemo") as demo:
        gr.Markdown("# gandemo\nSmall GANs trained offline with `python -m train`, shown live.")
        gr.Markdown(showroom.status(), elem_id="status")

        with gr.Tab("MNIST generators", id="generate"):
            with gr.Row():
                with gr.Column(scale=2):
                    model = gr.Dropdown(mnist, value=first, label="model")
                    digit = gr.Dropdown(DIGITS, value=ALL_DIGITS, label="digit", visible=showroom.is_conditional(first))
                    seed = _seed_controls()
                    with gr.Row():
                        rows = gr.Slider(1, MAX_GRID, value=8, step=1, label="rows")
                        cols = gr.Slider(1, MAX_GRID, value=8, step=1, label="columns")
                    info = gr.Markdown(showroom.metrics_markdown(first) if first else "", elem_id="model-info")
                grid = gr.Image(
                    format="png", type="pil", label="samples", buttons=["download"], elem_id="grid", scale=3
                )
            model.change(model_changed, model, [digit, info], api_visibility="private")
            inputs = [model, seed, rows, cols, digit]
            for control in inputs:
                control.change(
                    generate, inputs, grid, api_name=False, trigger_mode="always_last", show_progress="minimal"
                )
            demo.load(generate, inputs, grid, api_name="generate")

        with gr.Tab("Compare", id="compare"):
            compare_seed = _seed_controls()
            gallery = gr.Gallery(label="every MNIST model, same seed", columns=4, format="png", elem_id="compare")
            compare_seed.change(compare, compare_seed, gallery, api_name="compare", trigger_mode="always_last")

        with gr.Tab("Latent walk", id="walk"):
            with gr.Row():
                walk_model = gr.Dropdown(mnist, value=first, label="model")
                walk_digit = gr.Dropdown(DIGITS[1:], value=None, label="digit", visible=showroom.is_conditional(first))
                method = gr.Radio(["slerp", "lerp"], value="slerp", label="interpolation")
                steps = gr.Slider(2, MAX_STEPS, value=10, step=1, label="steps")
            seed_a, seed_b = _seed_controls("seed A", 0), _seed_controls("seed B", 1)
            walk_button = gr.Button("Walk", variant="primary")
            strip = gr.Image(format="png", type="pil", label="frames", buttons=["download"], elem_id="strip")
            gif = gr.Image(type="filepath", label="animated GIF", buttons=["download"], elem_id="gif")
            walk_model.change(
                lambda m: gr.Dropdown(visible=showroom.is_conditional(m)),
                walk_model,
                walk_digit,
                api_visibility="private",
            )
            walk_button.click(
                interpolate,
                [walk_model, seed_a, seed_b, steps, method, walk_digit],
                [strip, gif],
                api_name="interpolate",
            )

        with gr.Tab("8 Gaussians", id="toy"):
            with gr.Row():
                with gr.Column(scale=2):
                    toy_model = gr.Dropdown(toys, value=toys[0] if toys else None, label="model")
                    toy_seed = _seed_controls()
                    points = gr.Slider(100, MAX_POINTS, value=2500, step=100, label="points")
                    coverage = gr.JSON(label="mode coverage of this draw", elem_id="coverage")
                toy_plot = gr.Image(format="png", type="pil", label="real vs generated", elem_id="toy-plot", scale=3)
            toy_inputs = [toy_model, toy_seed, points]
            for control in toy_inputs:
                control.change(toy, toy_inputs, [toy_plot, coverage], api_name=False, trigger_mode="always_last")
            toy_button = gr.Button("Draw", variant="primary")
            toy_button.click(toy, toy_inputs, [toy_plot, coverage], api_name="toy")

        with gr.Tab("Training", id="training"):
            train_model = gr.Dropdown(mnist + toys, value=first, label="model", elem_id="training-model")
            curves = gr.Image(format="png", type="pil", label="losses", elem_id="losses")
            snapshot_index = gr.Slider(0, 1, value=0, step=1, label="timeline snapshot (fixed noise)")
            snapshot = gr.Image(type="filepath", label="samples at that point of training", elem_id="snapshot")
            card = gr.Markdown(elem_id="card")
            train_model.change(training, train_model, [curves, snapshot_index, snapshot, card], api_name="training")
            snapshot_index.change(timeline, [train_model, snapshot_index], snapshot, api_name="timeline")

        with gr.Tab("Playground", id="playground"):
            gr.Markdown(
                "Train a 2-D GAN live, with the same update the offline trainer uses. Settings apply on **Reset**."
            )
            session = gr.State(None, delete_callback=limiter.close)  # one per browser tab, freed when it closes
            with gr.Row():
                with gr.Column(scale=2):
                    with gr.Row():
                        objective = gr.Radio(["wgan-gp", "gan"], value="wgan-gp", label="objective")
                        target = gr.Dropdown(list(TARGETS), value=TARGETS[0], label="target")
                    start = gr.Dropdown(["scratch", *toys], value="scratch", label="start from")
                    with gr.Row():
                        width = gr.Slider(8, 512, value=128, step=8, label="width")
                        depth = gr.Slider(1, 4, value=3, step=1, label="hidden layers")
                    with gr.Row():
                        g_lr = gr.Number(1e-4, label="generator lr", minimum=1e-6, maximum=1e-2)
                        d_lr = gr.Number(1e-4, label="critic lr", minimum=1e-6, maximum=1e-2)
                    with gr.Row():
                        critic = gr.Slider(1, 10, value=5, step=1, label="critic steps per generator step")
                        gp = gr.Number(0.1, label="penalty weight", minimum=0, maximum=100)
                        batch = gr.Slider(16, 1024, value=256, step=16, label="batch size")
                    arrows = gr.Checkbox(False, label="show the generator's gradient arrows")
                    with gr.Row():
                        play = gr.Button("Play", variant="primary", elem_id="play")
                        pause = gr.Button("Pause", elem_id="pause")
                        one = gr.Button("Step", elem_id="step")
                        reset = gr.Button("Reset", elem_id="reset")
                        save = gr.Button("Save", elem_id="save")
                    stats = gr.Markdown(elem_id="playground-stats")
                    saved = gr.Markdown()
                with gr.Column(scale=3):
                    field = gr.Image(
                        format="png",
                        type="pil",
                        label="real (orange) vs generated (green) over the critic",
                        elem_id="playground-plot",
                    )
                    loss_chart = gr.Image(format="png", type="pil", label="losses", elem_id="playground-losses")
            settings_inputs = [session, objective, target, width, depth, g_lr, d_lr, critic, gp, batch, start, arrows]
            view = [session, field, stats, loss_chart]
            reset.click(playground_open, settings_inputs, view, api_name="playground_reset")
            one.click(playground_step, [session, arrows], view, api_name="playground_step")

            def start_playing(current, *settings):
                opened = current if current is not None else playground_open(current, *settings)[0]
                opened.play()
                return opened

            def show_arrows(current, value):
                if current is not None:
                    current.show_arrows = bool(value)
                    if not current.playing:
                        return _tag_images(playground_view(current, current.show_arrows)[1])
                return gr.skip()

            arrows.change(show_arrows, [session, arrows], field, api_visibility="private")
            # the stream holds a worker while it plays: give the streams their own pool, one per session
            play.click(start_playing, settings_inputs, session, api_visibility="private").then(
                playground_stream,
                session,
                view[1:],
                api_visibility="private",
                concurrency_id="playground-stream",
                concurrency_limit=playground_sessions,
            )
            pause.click(lambda current: current and current.pause(), session, None, api_visibility="private")
            save.click(playground_save, session, [saved, toy_model], api_name="playground_save")
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
    return parser.parse_args(argv)


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)


if __name__ == "__main__":
    args = parse_args()
    demo = build_demo(Showroom(args.checkpoints, device=args.device, hub_repo=args.hub_repo))
    serve(demo, server_name=args.host, server_port=args.port, share=args.share)
