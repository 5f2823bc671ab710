"""The app through its real HTTP API with gradio_client: every endpoint, clear errors, concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT, make_checkpoint

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def checkpoint_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("checkpoints")
    for name in ("gan", "dcgan", "cgan", "toy-gan"):
        make_checkpoint(root / name, name)
    broken = make_checkpoint(root / "wgan-gp", "wgan-gp")
    (broken / "model.safetensors").write_bytes(b"garbage")
    return root


@pytest.fixture(scope="module")
def client(checkpoint_root):
    from gradio_client import Client

    from app import build_demo, serve
    from gandemo.service.showroom import Showroom

    demo = build_demo(Showroom(checkpoint_root, device="cpu"))
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(demo.local_url, verbose=False)
    finally:
        demo.close()


def pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"))


def test_generate_returns_a_lossless_png_of_the_requested_grid(client):
    path = client.predict("dcgan", 7, 2, 3, "all digits", api_name="/generate")
    image = Image.open(path)
    assert image.format == "PNG"
    assert image.size == (2 * (3 * 30 + 2), 2 * (2 * 30 + 2))


def test_same_inputs_same_image_and_another_seed_changes_it(client):
    a = pixels(client.predict("gan", 7, 2, 2, "all digits", api_name="/generate"))
    b = pixels(client.predict("gan", 7, 2, 2, "all digits", api_name="/generate"))
    c = pixels(client.predict("gan", 8, 2, 2, "all digits", api_name="/generate"))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_cgan_digit_and_label_sweep(client):
    one = Image.open(client.predict("cgan", 1, 2, 2, "4", api_name="/generate"))
    sweep = Image.open(client.predict("cgan", 1, 3, 2, "all digits", api_name="/generate"))
    assert one.size == (2 * 62, 2 * 62)
    assert sweep.size == (2 * (10 * 30 + 2), 2 * (3 * 30 + 2))  # rows = styles, columns = digits 0-9


@pytest.mark.parametrize(
    "args, message",
    [
        (("nope", 1, 2, 2, "all digits"), "unknown model 'nope'"),
        (("dcgan", 1, 0, 2, "all digits"), "rows must be from 1 to 16, got 0"),
        (("dcgan", 1, 2, 17, "all digits"), "columns must be from 1 to 16, got 17"),
        (("dcgan", 1, "8", 2, "all digits"), "rows must be a whole number from 1 to 16, got '8'"),
        (("dcgan", "abc", 2, 2, "all digits"), "seed must be a whole number"),
        (("dcgan", None, 2, 2, "all digits"), "seed must be a whole number"),
        (("gan", 1, 2, 2, "3"), "unconditional"),
        (("gan", 1.5, 2, 2, "all digits"), "seed must be a whole number"),
        (("gan", -4, 2, 2, "all digits"), "seed must be a whole number from 0"),
        (("wgan-gp", 1, 2, 2, "all digits"), "wgan-gp"),
    ],
)
def test_bad_inputs_get_a_clear_error_and_the_server_keeps_serving(client, args, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as caught:
        client.predict(*args, api_name="/generate")
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert client.predict("dcgan", 1, 1, 1, "all digits", api_name="/generate")


VALID_CALLS = {
    "/generate": ("cgan", 1, 2, 2, "3"),
    "/compare": (1,),
    "/interpolate": ("cgan", 1, 2, 3, "slerp", "7"),
    "/toy": ("toy-gan", 1, 200),
    "/training": ("dcgan",),
    "/timeline": ("dcgan", 0),
}
BAD_VALUES = [None, "abc", "8", "", [1], {"a": 1}, True, -1, 10**30, 1.5, "../../etc/passwd"]
OPAQUE = ("upstream Gradio app", "Something went wrong", "Traceback", "Error:", "/work/", "site-packages")


def test_every_input_of_every_endpoint_answers_any_bad_value_with_a_sentence_naming_it(client):
    """A malformed value of any type in any position: either a valid call, or one clear sentence."""
    from gradio_client.exceptions import AppError

    answered = 0
    for endpoint, valid in VALID_CALLS.items():
        for position in range(len(valid)):
            for bad in BAD_VALUES:
                args = list(valid)
                args[position] = bad
                try:
                    client.predict(*args, api_name=endpoint)
                except AppError as error:
                    message = str(error)
                    assert not any(word in message for word in OPAQUE), (endpoint, position, bad, message)
                    assert " must " in message or "unknown" in message or "is " in message, message
                    answered += 1
    assert answered > 100
    client.predict(*VALID_CALLS["/generate"], api_name="/generate")  # and it still serves


def test_toy_endpoint_plots_and_measures_this_draw(client):
    from gradio_client.exceptions import AppError

    path, coverage, words = client.predict("toy-gan", 3, 500, api_name="/toy")
    assert Image.open(path).size[0] > 300
    assert set(coverage) >= {"modes_captured", "high_quality_share", "kl_to_uniform"}
    assert f"**{coverage['modes_captured']} of 8 modes captured**" in words and "Measured on 500 samples" in words
    with pytest.raises(AppError, match="points must be from 1 to 10,000"):
        client.predict("toy-gan", 3, 10**9, api_name="/toy")


def test_compare_shows_every_mnist_model_that_loads(client):
    gallery = client.predict(5, api_name="/compare")
    captions = [item["caption"] for item in gallery]
    assert len(gallery) == 3 and any(c.startswith("dcgan") for c in captions)


def test_interpolate_gives_a_strip_and_an_animated_gif(client):
    strip, gif = client.predict("cgan", 1, 2, 5, "lerp", "7", api_name="/interpolate")
    assert Image.open(strip).size == (3 * (5 * 30 + 2), 3 * 32)
    assert Image.open(gif).n_frames == 8  # 5 forward, 3 back


def test_training_tab_endpoints(client):
    curves, slider, newest, card = client.predict("dcgan", api_name="/training")
    assert Image.open(curves).size[0] > 300 and slider["maximum"] == 1 and "gandemo" in card
    first = client.predict("dcgan", 0, api_name="/timeline")
    assert pixels(first)[0, 0] == 10 and pixels(newest)[0, 0] == 20


def test_sixteen_concurrent_requests_match_the_sequential_results(client, tmp_path):
    from gradio_client import Client

    # pairs of users send identical requests; each user has its own client and download folder
    # (one shared folder would let two downloads of the same image race on one path)
    requests = [("dcgan" if i % 2 else "gan", i % 5, 3, 3, "all digits") for i in range(16)]
    sequential = [pixels(client.predict(*r, api_name="/generate")) for r in requests]
    users = [Client(client.src, verbose=False, download_files=str(tmp_path / f"user{i}")) for i in range(16)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        jobs = [pool.submit(user.predict, *r, api_name="/generate") for user, r in zip(users, requests, strict=True)]
        concurrent = [pixels(job.result()) for job in jobs]
    for a, b in zip(sequential, concurrent, strict=True):
        assert np.array_equal(a, b)


def test_a_corrupt_checkpoint_is_reported_and_the_others_served(checkpoint_root):
    from gandemo.service.showroom import Showroom

    showroom = Showroom(checkpoint_root, device="cpu")
    assert "wgan-gp" not in showroom.names() and {"gan", "dcgan", "cgan"} <= set(showroom.names())
    status = showroom.status()
    assert "`wgan-gp` is unavailable" in status and "corrupt or truncated" in status


def test_app_starts_and_explains_when_there_are_no_checkpoints(tmp_path):
    from gandemo.service.showroom import Showroom

    showroom = Showroom(tmp_path / "empty", device="cpu")
    assert "python -m train" in showroom.status()
    from app import build_demo

    build_demo(showroom)  # builds without a single model


def test_the_server_trains_nothing_the_playground_is_the_browsers(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert not [name for name in endpoints if "playground" in name]
    assert {"/generate", "/compare", "/interpolate", "/toy", "/training", "/timeline"} <= set(endpoints)


def test_identical_requests_get_their_own_files(client):
    # the same pixels, but separate cached files: no two requests share (and rewrite) one file
    a = client.predict("gan", 7, 2, 2, "all digits", api_name="/generate")
    b = client.predict("gan", 7, 2, 2, "all digits", api_name="/generate")
    assert a != b and np.array_equal(pixels(a), pixels(b))


def test_an_unexpected_failure_is_logged_and_answered_in_one_plain_sentence(client, monkeypatch, caplog):
    from gradio_client.exceptions import AppError

    from gandemo.service.showroom import Showroom
    from gandemo.ui.errors import UNEXPECTED

    def broken(self, *args):
        raise RuntimeError("internal detail at /some/server/path")

    monkeypatch.setattr(Showroom, "compare", broken)
    with caplog.at_level("ERROR", logger="gandemo.app"), pytest.raises(AppError) as caught:
        client.predict(5, api_name="/compare")
    assert str(caught.value) == UNEXPECTED and "/some/server/path" not in str(caught.value)
    logged = [r for r in caplog.records if r.name == "gandemo.app"]
    assert logged and "internal detail" in str(logged[0].exc_info[1])  # the server keeps the whole story


def test_app_py_has_a_module_level_demo_for_gradio_reload_mode_built_only_when_asked_for(tmp_path):
    for name in ("dcgan", "toy-gan"):
        make_checkpoint(tmp_path / name, name)
    script = (
        "import gradio as gr, app; assert 'demo' not in vars(app); "
        "assert isinstance(app.demo, gr.Blocks) and app.demo is app.demo; print('ok')"
    )
    env = {**os.environ, "GANDEMO_CHECKPOINTS": str(tmp_path), "GANDEMO_DEVICE": "cpu"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
