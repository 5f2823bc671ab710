"""The app on ZeroGPU (a free account's Gradio Space), as far as it runs offline: with ``SPACES_ZERO_GPU`` set,
the ``spaces`` package patches torch as on the Hub and reports the start-up to a device API (a local stand-in
here, which records what it is asked). The app starts, ZeroGPU accepts it (one ``spaces.GPU`` function), every
model is served from the CPU, and no picture asks for a GPU."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import urllib.request

import pytest

from benchmarks.server import app_process
from tests.conftest import ROOT, every_endpoint_answers

ZERO_GPU = {"SPACES_ZERO_GPU": "true", "SYSTEM": "spaces", "SPACE_ID": "someone/gandemo"}


class DeviceAPI(http.server.ThreadingHTTPServer):
    """Stands in for ZeroGPU's device API: answers 200 to everything and records each request's path."""

    def __init__(self):
        self.paths: list[str] = []
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                api.paths.append(self.path.split("?")[0])
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def device_api():
    api = DeviceAPI()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    yield api
    api.shutdown()


def test_on_zero_gpu_auto_is_the_cpu_and_one_function_is_decorated(device_api):
    code = (
        "import app, torch\n"
        "import spaces.zero.decorator as zero\n"
        "from gandemo.core.device import resolve_device\n"
        "demo = app.demo_from(app.parse_args([]))\n"
        "print(torch.cuda.is_available(), resolve_device('auto'), len(set(zero.decorated_cache.values())))\n"
        "try:\n"
        "    resolve_device('cuda')\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    env = {**os.environ, **ZERO_GPU, "SPACES_ZERO_DEVICE_API_URL": device_api.url}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found, refused = done.stdout.splitlines()
    patched, device, decorated = found.split()
    assert patched == "True"  # (spaces' torch patch: CUDA "exists" outside a GPU call)
    assert device == "cpu" and decorated == "1"
    assert "exists only inside spaces.GPU calls" in refused


@pytest.mark.slow
def test_a_zero_gpu_start_serves_every_api_picture_from_the_cpu(tmp_path, device_api):
    from gradio_client import Client

    env = {**ZERO_GPU, "SPACES_ZERO_DEVICE_API_URL": device_api.url, "HF_HOME": str(tmp_path / "hf")}
    with open(tmp_path / "server.log", "w") as log, app_process(env=env, log=log) as (_, url):
        assert device_api.paths == ["/startup-report"]  # ZeroGPU saw the Space start with its GPU function
        client = Client(url, verbose=False, download_files=str(tmp_path / "downloads"))
        assert "/gpu_name" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
        every_endpoint_answers(client)
        config = urllib.request.urlopen(url + "config", timeout=30).read().decode()
    assert device_api.paths == ["/startup-report"]  # no picture asked for a GPU
    assert "gpu_name" in config
    assert "on cpu" in (tmp_path / "server.log").read_text()  # the operator's log line: the models are on the CPU
