"""Publish the app as a Hugging Face Space: only the files the Space runs, stored the way the Hub requires.

python -m gandemo.deploy USER/SPACE [--private] [--hardware cpu-basic] [--dry-run]

``git push`` to a Space is refused for this repository: its history holds binary files (checkpoint
weights, pictures) outside LFS/Xet. The Hub's upload API stores each binary as it requires, and sends
only what the Space needs, so tests, benchmarks and training runs stay at home.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPACE_FILES = ("app.py", "requirements.txt", "README.md", "LICENSE")  # README's front matter configures the Space
SPACE_FOLDERS = ("gandemo", "checkpoints")
SKIPPED_PARTS = ("__pycache__",)
SKIPPED_SUFFIXES = (".pyc", ".tmp")


class DeployError(RuntimeError):
    """The Space cannot be published from here (no token, offline, a file missing, the Hub refused)."""


def space_files(root: str | Path = ROOT) -> list[str]:
    """The paths (relative, with forward slashes) of every file the Space needs, sorted."""
    root = Path(root)
    missing = [name for name in (*SPACE_FILES, *SPACE_FOLDERS) if not (root / name).exists()]
    if missing:
        raise DeployError(f"{root} lacks {', '.join(missing)}: run this from a gandemo checkout")
    found = list(SPACE_FILES)
    for folder in SPACE_FOLDERS:
        for path in (root / folder).rglob("*"):
            parts = path.relative_to(root).parts
            hidden = any(part.startswith(".") for part in parts)
            if path.is_file() and not hidden and not set(parts) & set(SKIPPED_PARTS):
                if not path.name.endswith(SKIPPED_SUFFIXES):
                    found.append("/".join(parts))
    return sorted(found)


def _token() -> str:
    from huggingface_hub import constants, get_token

    if constants.HF_HUB_OFFLINE:
        raise DeployError("offline (HF_HUB_OFFLINE is set): nothing was uploaded; unset it to deploy")
    token = os.environ.get("HF_TOKEN") or get_token()
    if not token:
        raise DeployError("no Hugging Face token: set HF_TOKEN or log in with `hf auth login`, then run this again")
    return token


def deploy(
    repo_id: str,
    *,
    root: str | Path = ROOT,
    private: bool = False,
    hardware: str | None = None,
    api=None,
) -> str:
    """Create the Space ``repo_id`` (a Gradio Space) if needed and upload the app's files as one commit;
    returns the Space's URL. ``api`` stands in for ``huggingface_hub.HfApi`` (tests pass a recording fake)."""
    root, files = Path(root), space_files(root)
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=_token())
    try:
        url = api.create_repo(
            repo_id,
            repo_type="space",
            space_sdk="gradio",
            private=private,
            space_hardware=hardware,
            exist_ok=True,
        )
        api.upload_folder(
            repo_id=repo_id,
            repo_type="space",
            folder_path=root,
            allow_patterns=files,
            delete_patterns=[f"{folder}/**" for folder in SPACE_FOLDERS],  # files removed here go there too
            commit_message="Deploy gandemo",
        )
    except DeployError:
        raise
    except Exception as error:  # network, permission, a refused name: one line, not a traceback
        raise DeployError(f"the Hub refused or could not be reached: {' '.join(str(error).split())[:300]}") from None
    return str(url)


def describe(root: str | Path = ROOT) -> str:
    """What a deploy would upload: one line per file with its size, then the total."""
    root = Path(root)
    files = space_files(root)
    sizes = [(root / name).stat().st_size for name in files]
    lines = [f"{size / 1024:10.1f} KiB  {name}" for name, size in zip(files, sizes, strict=True)]
    lines.append(f"{len(files)} files, {sum(sizes) / 2**20:.1f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gandemo.deploy", description=__doc__.split("\n")[0])
    parser.add_argument("repo_id", help="USER/SPACE on the Hugging Face Hub")
    parser.add_argument("--private", action="store_true", help="create the Space as private")
    parser.add_argument("--hardware", help="e.g. cpu-basic, cpu-upgrade, t4-small, zero-a10g (default: the Hub's)")
    parser.add_argument("--dry-run", action="store_true", help="list the files and their total size; upload nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repo_id.count("/") != 1 or not all(args.repo_id.split("/")):
        parser.error(f"repo_id must look like USER/SPACE, got {args.repo_id!r}")
    try:
        if args.dry_run:
            print(describe(args.root))
            print(f"dry run: nothing was uploaded to the Space {args.repo_id}")
            return
        print(f"deployed: {deploy(args.repo_id, root=args.root, private=args.private, hardware=args.hardware)}")
    except DeployError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
