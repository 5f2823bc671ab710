"""The app as a public server (a Space, or --public): Save never writes into the shared folder, a visitor's
saved model is theirs alone, and an idle or departed visitor's Playground slot goes to the next one."""

from __future__ import annotations

import time
import zipfile

import pytest
import torch

import gandemo
from tests.conftest import make_checkpoint

pytestmark = pytest.mark.slow

PLAYGROUND = ("wgan-gp", "8 Gaussians", 16, 1, 1e-3, 1e-3, 1, 0.1, 32, "scratch", False)
IDLE_S = 1.5


def tree(root):
    return sorted((str(p.relative_to(root)), p.stat().st_mtime_ns) for p in root.rglob("*"))


@pytest.fixture(scope="module")
def public_app(tmp_path_factory):
    from app import build_demo, serve
    from gandemo.showroom import Showroom

    root = tmp_path_factory.mktemp("checkpoints")
    for name in ("dcgan", "toy-gan"):
        make_checkpoint(root / name, name)
    demo = build_demo(Showroom(root, device="cpu"), public=True, playground_sessions=1, idle_timeout_s=IDLE_S)
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        yield demo.local_url, root
    finally:
        demo.close()


def new_client(url, tmp_path, name):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=str(tmp_path / name))


def test_save_hands_the_visitor_a_zip_and_writes_nothing_into_the_shared_folder(public_app, tmp_path):
    from gradio_client.exceptions import AppError

    url, root = public_app
    before = tree(root)
    visitor, other = new_client(url, tmp_path, "visitor"), new_client(url, tmp_path, "other")
    visitor.predict(*PLAYGROUND, api_name="/playground_reset")
    visitor.predict(False, api_name="/playground_step")
    message, archive, _ = visitor.predict(api_name="/playground_save")
    name = message.split("**")[1]
    assert tree(root) == before
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "unzipped")
    generator = gandemo.load_generator(tmp_path / "unzipped" / name, device="cpu")
    assert generator(torch.zeros(3, 2)).shape == (3, 2)
    _, coverage, _ = visitor.predict(name, 0, 300, api_name="/toy")  # the saver sees it in the 8 Gaussians tab
    assert coverage["modes_total"] == 8
    with pytest.raises(AppError, match="unknown model"):  # nobody else does
        other.predict(name, 0, 300, api_name="/toy")
    visitor.close(), other.close()


def test_an_idle_visitor_yields_the_playground_slot_to_the_next(public_app, tmp_path):
    from gradio_client.exceptions import AppError

    url, _ = public_app
    time.sleep(IDLE_S + 0.5)  # let an earlier test's session go idle
    first, second = new_client(url, tmp_path, "first"), new_client(url, tmp_path, "second")
    first.predict(*PLAYGROUND, api_name="/playground_reset")
    with pytest.raises(AppError, match="playground is full"):  # one slot, and its visitor is active
        second.predict(*PLAYGROUND, api_name="/playground_reset")
    time.sleep(IDLE_S + 0.5)
    second.predict(*PLAYGROUND, api_name="/playground_reset")  # the idle session gave its slot up
    _, stats, _, _ = second.predict(False, api_name="/playground_step")
    assert "step 10" in stats
    with pytest.raises(AppError, match="idle .* slot went to another visitor"):
        first.predict(False, api_name="/playground_step")
    first.close(), second.close()
