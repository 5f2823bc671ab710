"""Publishing to the Hub, with only the HTTP client replaced: no network, real huggingface_hub code."""

from __future__ import annotations

import base64
import json

import pytest

from tests.conftest import make_checkpoint


@pytest.fixture
def fake_hub(monkeypatch):
    """A stand-in for the Hub's HTTP API behind huggingface_hub's own client factory."""
    import httpx2
    import huggingface_hub
    import huggingface_hub.constants

    calls: list[tuple[str, str]] = []
    committed: dict[str, bytes] = {}

    def handler(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        calls.append((request.method, path))
        if path == "/api/repos/create":
            name = json.loads(request.content)["name"]
            return httpx2.Response(200, json={"url": f"https://huggingface.co/someone/{name}"})
        if path == "/api/validate-yaml":  # the Hub checks the model card's front matter
            return httpx2.Response(200, json={"errors": [], "warnings": []})
        if path.endswith("/preupload/main"):
            files = json.loads(request.content)["files"]
            modes = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]
            return httpx2.Response(200, json={"files": modes})
        if path.endswith("/commit/main"):
            for line in request.content.decode().splitlines():
                item = json.loads(line)
                if item["key"] == "file":
                    committed[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
            return httpx2.Response(
                200, json={"commitUrl": "https://huggingface.co/someone/x/commit/1", "commitOid": "1"}
            )
        return httpx2.Response(404, json={"error": f"unexpected {request.method} {path}"})

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    huggingface_hub.set_client_factory(lambda: httpx2.Client(transport=httpx2.MockTransport(handler)))
    yield calls, committed
    huggingface_hub.set_client_factory(lambda: httpx2.Client())


def test_push_uploads_the_whole_checkpoint_folder(tmp_path, fake_hub):
    from train.hub import push

    calls, committed = fake_hub
    folder = make_checkpoint(tmp_path / "dcgan")
    url = push(folder, "someone/tiny-dcgan")
    assert url.endswith("someone/tiny-dcgan")
    assert ("POST", "/api/repos/create") in calls
    assert {"config.json", "model.safetensors", "README.md", "samples.png"} <= set(committed)
    assert committed["model.safetensors"] == (folder / "model.safetensors").read_bytes()
    assert committed["README.md"].startswith(b"---\nlibrary_name: gandemo")


def test_push_command_line_and_refusal_of_non_checkpoints(tmp_path, fake_hub, capsys):
    from gandemo.core.checkpoints import CheckpointError
    from train.__main__ import main

    main(["push", str(make_checkpoint(tmp_path / "gan", "gan")), "someone/tiny-gan"])
    assert "someone/tiny-gan" in capsys.readouterr().out
    with pytest.raises(CheckpointError, match="config.json"):
        main(["push", str(tmp_path), "someone/nothing"])
