"""Publish the app as a Hugging Face Space: only the files the Space runs, stored the way the Hub requires.

python -m gandemo.deploy USER/SPACE [--static] [--private] [--hardware cpu-basic] [--dry-run]

``--static`` publishes the static edition (``python -m gandemo.static``) as a static Space, which every
account may host for free: every tab, drawn in the visitor's browser, with no Python API.

``git push`` to a Space is refused for this repository: its history holds binary files (checkpoint
weights, pictures) outside LFS/Xet. The Hub's upload API stores each binary as it requires, and sends
only what the Space needs, so tests, benchmarks and training runs stay at home.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .service.serving import ISOLATION_HEADERS

ROOT = Path(__file__).resolve().parents[1]
SPACE_FILES = ("app.py", "requirements.txt", "README.md", "LICENSE")  # README's front matter configures the Space
SPACE_FOLDERS = ("gandemo", "checkpoints")
SKIPPED_PARTS = ("__pycache__",)
SKIPPED_SUFFIXES = (".pyc", ".tmp")
# ZeroGPU installs only the torch releases it lists (2.8.0, 2.9.1, 2.10.0, 2.11.0): a Space on it gets the newest
# of them in place of our tested pin (the app does not import torchvision; it is pinned to match all the same)
ZERO_GPU_PINS = {"torch": "2.11.0", "torchvision": "0.26.0"}
GRADIO_ONLY_KEYS = ("sdk_version", "python_version", "app_file", "suggested_hardware")  # (a static Space has none)


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


def space_requirements(root: str | Path = ROOT, hardware: str | None = None) -> str:
    """requirements.txt as the Space gets it: ours, with ZeroGPU's torch on ZeroGPU hardware."""
    text = (Path(root) / "requirements.txt").read_text(encoding="utf-8")
    if not (hardware or "").startswith("zero-"):
        return text
    for package, version in ZERO_GPU_PINS.items():
        text = re.sub(rf"^{package}==\S+", f"{package}=={version}", text, flags=re.MULTILINE)
    return text


def static_front_matter(root: str | Path = ROOT) -> str:
    """The Space configuration of README.md (its front matter), turned into a static Space's."""
    text = (Path(root) / "README.md").read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise DeployError(f"{Path(root) / 'README.md'} has no front matter (the Space's configuration)")
    lines = text[4:].split("\n---\n", 1)[0].splitlines()
    kept = [line for line in lines if line.split(":", 1)[0].strip() not in (*GRADIO_ONLY_KEYS, "sdk")]
    if not any(line.startswith("custom_headers:") for line in kept):  # (the threaded trainer needs isolation)
        kept += ["custom_headers:", *(f"  {name.lower()}: {value}" for name, value in ISOLATION_HEADERS.items())]
    return "\n".join(["---", *kept, "sdk: static", "app_file: index.html", "---", ""])


STATIC_README = """
# gandemo, the static edition

Small GANs trained offline, shown live: every picture, and the Playground's training, happens in your browser
from the checkpoint folders served here. Built with `python -m gandemo.static build`; the Python API and the
animated GIFs need the Gradio app (`python app.py`).
"""


@contextmanager
def static_space(root: str | Path = ROOT):
    """The static edition of ``root``'s checkpoints, built into a temporary folder with the README.md that
    makes it a static Space; the folder is gone when the block ends."""
    from . import static

    with tempfile.TemporaryDirectory(prefix="gandemo-static-") as work:
        try:
            folder = static.build(Path(work) / "site", Path(root) / "checkpoints")
        except static.BuildError as error:
            raise DeployError(str(error)) from None
        (folder / "README.md").write_text(static_front_matter(root) + STATIC_README, encoding="utf-8")
        (folder / static.MARK).unlink()
        yield folder


def folder_files(folder: Path) -> list[str]:
    """Every file under ``folder`` (relative, with forward slashes), sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


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
    static: bool = False,
    api=None,
) -> str:
    """Create the Space ``repo_id`` (a Gradio Space, or with ``static`` a static one) if needed and upload
    its files as one commit; returns the Space's URL. ``api`` stands in for ``huggingface_hub.HfApi`` (tests
    pass a recording fake)."""
    if static:
        with static_space(root) as folder:
            return _upload(repo_id, folder, folder_files(folder), ["**"], "static", private, None, api)
    root, files = Path(root), space_files(root)
    deleted = [f"{folder}/**" for folder in SPACE_FOLDERS]  # files removed here go there too
    requirements = space_requirements(root, hardware)
    if requirements == (root / "requirements.txt").read_text(encoding="utf-8"):
        return _upload(repo_id, root, files, deleted, "gradio", private, hardware, api)
    with tempfile.TemporaryDirectory(prefix="gandemo-space-") as work:  # (the same files, another requirements)
        for name in files:
            (Path(work) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, Path(work) / name)
        (Path(work) / "requirements.txt").write_text(requirements, encoding="utf-8")
        return _upload(repo_id, Path(work), files, deleted, "gradio", private, hardware, api)


def _upload(repo_id, folder, files, deleted, sdk, private, hardware, api) -> str:
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=_token())
    try:
        url = api.create_repo(
            repo_id,
            repo_type="space",
            space_sdk=sdk,
            private=private,
            space_hardware=hardware,
            exist_ok=True,
        )
        api.upload_folder(
            repo_id=repo_id,
            repo_type="space",
            folder_path=folder,
            allow_patterns=files,
            delete_patterns=deleted,  # (the Hub never deletes .gitattributes this way)
            commit_message="Deploy gandemo",
        )
    except DeployError:
        raise
    except Exception as error:  # network, permission, a refused name: one line, not a traceback
        raise DeployError(f"the Hub refused or could not be reached: {' '.join(str(error).split())[:300]}") from None
    return str(url)


def describe(root: str | Path = ROOT, files: list[str] | None = None) -> str:
    """What a deploy would upload (``files`` of ``root``, by default the app's): one line per file with its
    size, then the total."""
    root = Path(root)
    files = space_files(root) if files is None else files
    sizes = [(root / name).stat().st_size for name in files]
    lines = [f"{size / 1024:10.1f} KiB  {name}" for name, size in zip(files, sizes, strict=True)]
    lines.append(f"{len(files)} files, {sum(sizes) / 2**20:.1f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gandemo.deploy", description=__doc__.split("\n")[0])
    parser.add_argument("repo_id", help="USER/SPACE on the Hugging Face Hub")
    parser.add_argument("--static", action="store_true", help="publish the static edition as a static Space (free)")
    parser.add_argument("--private", action="store_true", help="create the Space as private")
    parser.add_argument("--hardware", help="e.g. cpu-basic, cpu-upgrade, t4-small, zero-a10g (default: the Hub's)")
    parser.add_argument("--dry-run", action="store_true", help="list the files and their total size; upload nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repo_id.count("/") != 1 or not all(args.repo_id.split("/")):
        parser.error(f"repo_id must look like USER/SPACE, got {args.repo_id!r}")
    try:
        if args.static and args.hardware:
            parser.error("a static Space runs on no hardware of its own: leave out --hardware")
        if args.dry_run and args.static:
            with static_space(args.root) as folder:
                print(describe(folder, folder_files(folder)))
        elif args.dry_run:
            print(describe(args.root))
            if space_requirements(args.root, args.hardware) != space_requirements(args.root):
                pins = ", ".join(f"{name}=={version}" for name, version in ZERO_GPU_PINS.items())
                print(f"requirements.txt goes with {pins}: the newest torch ZeroGPU lists")
        else:
            options = {"private": args.private, "hardware": args.hardware, "static": args.static}
            print(f"deployed: {deploy(args.repo_id, root=args.root, **options)}")
            return
        print(f"dry run: nothing was uploaded to the Space {args.repo_id}")
    except DeployError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
