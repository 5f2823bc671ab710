"""Publish a checkpoint folder (weights, config, model card, samples, timeline) to the Hugging Face Hub."""

from __future__ import annotations

import argparse
from pathlib import Path

from gandemo.core.checkpoints import CONFIG_NAME, CheckpointError


def push(folder: str | Path, repo_id: str, *, private: bool = False, token: str | None = None) -> str:
    """Create ``repo_id`` if needed and upload ``folder`` as one commit; returns the repo's URL."""
    from huggingface_hub import HfApi

    folder = Path(folder)
    if not (folder / CONFIG_NAME).is_file():
        raise CheckpointError(f"{folder} is not a checkpoint folder ({CONFIG_NAME} is missing)")
    api = HfApi(token=token)
    url = api.create_repo(repo_id, private=private, exist_ok=True)
    api.upload_folder(
        folder_path=folder,
        repo_id=repo_id,
        commit_message=f"Upload {folder.name} with gandemo",
        ignore_patterns=[".*", "*.tmp"],
    )
    return str(url)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m train push", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("repo_id", help="user/name on the Hub")
    parser.add_argument("--private", action="store_true")
    args = parser.parse_args(argv)
    print(push(args.folder, args.repo_id, private=args.private))
