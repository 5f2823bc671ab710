"""The app started the way a Hugging Face Space starts it, from a copy of the repository that it must not
write to: every tab's endpoint answers, and nothing in the copy changes."""

from __future__ import annotations

import re
import shutil
import stat
import urllib.request

import pytest

from benchmarks.server import app_process
from gandemo.deploy import space_files
from tests.conftest import ROOT, every_endpoint_answers

pytestmark = pytest.mark.slow


def snapshot(root):
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*"))


def read_only_copy(destination):
    """The Space's files (what gandemo.deploy uploads), with every write permission taken away."""
    for name in space_files(ROOT):
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    for path in [destination, *destination.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return destination


def test_a_space_like_start_from_a_read_only_copy_serves_every_tab_and_writes_nothing(tmp_path):
    from gradio_client import Client

    app = read_only_copy(tmp_path / "space")
    before = snapshot(app)
    env = {
        "SPACE_ID": "someone/gandemo",
        "SYSTEM": "spaces",
        "GRADIO_SERVER_NAME": "0.0.0.0",
        "HF_HOME": str(tmp_path / "hf-home"),
        "TMPDIR": str(tmp_path),
        # tests run as root here, whom file modes do not stop: the snapshot below is the real check, and
        # Python's own bytecode cache (which it skips silently on a read-only tree) is kept out of it
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    log_path = tmp_path / "server.log"
    try:
        with open(log_path, "w") as log, app_process(cwd=app, env=env, log=log) as (_, url):
            page = urllib.request.urlopen(url, timeout=30).read().decode()
            assert "gandemo" in page
            client = Client(url, verbose=False, download_files=str(tmp_path / "downloads"))
            every_endpoint_answers(client)
            log.flush()
            served = log_path.read_text()
            # (Gradio's Spaces reloader leaves asyncio's harmless "Exception ignored in: BaseEventLoop.__del__")
            assert not re.search(r"^Exception in |ERROR|RuntimeError", served, re.MULTILINE), served
    finally:
        (app / "checkpoints").chmod(0o755)  # let pytest clean up
    assert snapshot(app) == before
