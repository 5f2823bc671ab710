"""Deploying to a Space: exactly the app's files, as a Gradio Space, through the Hub's upload API; a dry run
and the missing-token and offline cases touch no network."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gandemo import deploy
from tests.conftest import ROOT


class RecordingHub:
    """Stands in for huggingface_hub.HfApi: records each call and what upload_folder would send."""

    def __init__(self):
        self.calls = []

    def create_repo(self, repo_id, **options):
        self.calls.append(("create_repo", repo_id, options))
        return f"https://huggingface.co/spaces/{repo_id}"

    def upload_folder(self, **options):
        self.calls.append(("upload_folder", options["repo_id"], options))


def tracked(*paths: str) -> list[str]:
    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return sorted(done.stdout.split())


def test_the_space_gets_exactly_the_app_its_library_and_its_checkpoints():
    files = deploy.space_files(ROOT)
    assert files == tracked("app.py", "requirements.txt", "README.md", "LICENSE", "gandemo", "checkpoints")
    assert not any(f.startswith(("tests/", "benchmarks/", "train/", "runs/", "artifacts/")) for f in files)
    assert "checkpoints/dcgan/model.safetensors" in files and "gandemo/__init__.py" in files


def test_deploy_creates_a_gradio_space_and_uploads_only_those_files():
    hub = RecordingHub()
    url = deploy.deploy("someone/gandemo", root=ROOT, private=True, hardware="cpu-basic", api=hub)
    assert url == "https://huggingface.co/spaces/someone/gandemo"
    (create, repo, options), (upload, upload_repo, sent) = hub.calls
    assert (create, repo, upload, upload_repo) == ("create_repo", "someone/gandemo", "upload_folder", "someone/gandemo")
    assert options["repo_type"] == "space" and options["space_sdk"] == "gradio" and options["exist_ok"]
    assert options["private"] is True and options["space_hardware"] == "cpu-basic"
    assert sent["repo_type"] == "space" and sent["folder_path"] == ROOT
    assert sent["allow_patterns"] == deploy.space_files(ROOT)


def run_deploy(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_HUB_OFFLINE")}
    command = [sys.executable, "-m", "gandemo.deploy", *args]
    return subprocess.run(command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_dry_run_lists_the_files_and_their_size_without_network(tmp_path):
    done = run_deploy("someone/gandemo", "--dry-run", HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    listed = [line.split("KiB")[1].strip() for line in done.stdout.splitlines() if "KiB" in line]
    assert listed == deploy.space_files(ROOT)
    assert f"{len(listed)} files, " in done.stdout and "MiB" in done.stdout and "nothing was uploaded" in done.stdout


@pytest.mark.parametrize(
    "env, message",
    [({"HF_HUB_OFFLINE": "1"}, "offline (HF_HUB_OFFLINE is set)"), ({"HF_HUB_OFFLINE": "0"}, "no Hugging Face token")],
)
def test_offline_or_without_a_token_it_says_so_in_one_line(tmp_path, env, message):
    done = run_deploy("someone/gandemo", HF_HOME=str(tmp_path), **env)
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr


NO_NETWORK = (  # any connection attempt fails loudly
    "import socket, sys\n"
    "def refuse(*args, **kwargs): raise SystemExit('tried to reach the network')\n"
    "socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse\n"
    "from gandemo.deploy import main\n"
    "main(sys.argv[1:])\n"
)


def test_static_dry_run_lists_the_page_and_the_weights_with_no_network(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_HUB_OFFLINE")}
    command = [sys.executable, "-c", NO_NETWORK, "someone/x", "--static", "--dry-run"]
    done = subprocess.run(command, cwd=ROOT, env={**clean, "HF_HOME": str(tmp_path)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = [line.split("KiB")[1].strip() for line in done.stdout.splitlines() if "KiB" in line]
    assert {"index.html", "README.md", "web/static/page.js", "checkpoints/dcgan/model.safetensors"} <= set(listed)
    assert "checkpoints/toy-gan/discriminator.safetensors" in listed
    assert not [name for name in listed if name.endswith(".py")]
    assert f"{len(listed)} files, " in done.stdout and "nothing was uploaded" in done.stdout


def test_static_deploy_creates_a_static_space_from_the_built_folder():
    hub = RecordingHub()
    sent_files = {}

    def upload_folder(**options):  # (the folder is temporary: read what it holds while it is there)
        folder = options["folder_path"]
        sent_files.update({name: (folder / name).read_bytes() for name in options["allow_patterns"]})
        hub.calls.append(("upload_folder", options["repo_id"], options))

    hub.upload_folder = upload_folder
    url = deploy.deploy("someone/x", root=ROOT, static=True, api=hub)
    assert url == "https://huggingface.co/spaces/someone/x"
    (_, _, options), (_, _, sent) = hub.calls
    assert options["space_sdk"] == "static" and options["space_hardware"] is None
    assert sent["delete_patterns"] == ["**"]  # what an older deploy left there goes
    front = sent_files["README.md"].decode().split("---")[1]
    assert "\nsdk: static\n" in front and "\napp_file: index.html\n" in front
    assert "python_version" not in front and "sdk_version" not in front and "title: gandemo" in front
    # (cross-origin isolated, as the app serves itself: the Playground's trainer may run threaded)
    assert "\ncustom_headers:\n  cross-origin-opener-policy: same-origin\n" in front
    assert "\n  cross-origin-embedder-policy: require-corp\n" in front
    assert b'id="gandemo-page"' in sent_files["index.html"] and "checkpoints/dcgan/model.safetensors" in sent_files


def test_a_static_space_takes_no_hardware():
    done = run_deploy("someone/x", "--static", "--hardware", "cpu-basic", "--dry-run", HF_HUB_OFFLINE="1")
    assert done.returncode == 2 and "leave out --hardware" in done.stderr


def test_on_zero_gpu_hardware_the_space_gets_a_torch_zero_gpu_lists():
    hub = RecordingHub()
    sent = {}
    hub.upload_folder = lambda **o: sent.update(requirements=(o["folder_path"] / "requirements.txt").read_text())
    deploy.deploy("someone/x", root=ROOT, hardware="zero-a10g", api=hub)
    assert "torch==2.11.0\n" in sent["requirements"] and "torchvision==0.26.0\n" in sent["requirements"]
    ours = (ROOT / "requirements.txt").read_text()
    assert sent["requirements"].replace("2.11.0", "2.14.1").replace("0.26.0", "0.29.1") == ours
    assert deploy.space_requirements(ROOT, "cpu-basic") == ours
