"""The static edition: the app's tabs as a folder of plain files (an ``index.html``, the browser runtime, the
vendored JavaScript and the shipped checkpoints), which any static file server hosts, a static Space included.

python -m gandemo.static build OUT [--checkpoints checkpoints]

Everything a visitor touches runs in the browser, as in the app: the same widgets (``gandemo/web``), the same
``site`` description (``ui/browser.py``), the same link keys. What the app's server draws from files the
training wrote (the Training tab's curves, timeline and card) is drawn here once, at build time. What only a
server can do is left out: the Python API and the Latent walk's animated GIF (the frames download as a PNG).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .service.showroom import Showroom
from .ui import browser, header
from .ui import digits as digits_tab
from .ui import playground as playground_tab
from .ui import training as training_tab
from .ui import walk as walk_tab
from .ui.context import Context

KATEX = browser.WEB / "vendor" / "katex-0.16.22"
MARK = ".gandemo-static"  # in every built folder: a later build may replace that folder, and no other
LEFT_OUT = ("refresh.sh", "LICENSE-tfjs", "__pycache__", "*.py", "*.pyc")  # (each vendored folder has its LICENSE)
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)


class BuildError(RuntimeError):
    """The static edition cannot be written where asked."""


def markdown_html(text: str) -> str:
    """Markdown as HTML (raw HTML in it is shown as text); ``$...$`` and ``$$...$$`` become spans the page
    renders with KaTeX, kept out of Markdown's hands so their backslashes and underscores survive."""
    from markdown_it import MarkdownIt

    formulas: list[str] = []

    def hold(match: re.Match) -> str:
        display, inline = match.groups()
        tex, mode = (display, "true") if display is not None else (inline, "false")
        formulas.append(f'<span class="gd-math" data-display="{mode}">{html.escape(tex.strip())}</span>')
        return f"GDMATH{len(formulas) - 1}X"

    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(MATH.sub(hold, text))
    return re.sub(r"GDMATH(\d+)X", lambda m: formulas[int(m.group(1))], rendered)


def tabs(showroom: Showroom) -> list[dict]:
    """The app's tabs as ``ui/`` describes them (``ui/tabs.py``: the same controls, views, link keys and rules),
    their texts as HTML; what only the app's server does is replaced: the Latent walk downloads its frames."""
    shown = []
    for tab in Context(showroom).tabs:
        tab = {**tab, "intro": markdown_html(tab["intro"]) if tab["intro"] else None}
        tab["rules"] = [
            {**rule, "texts": {name: markdown_html(text) for name, text in rule["texts"].items()}}
            if rule["rule"] == "about"
            else rule
            for rule in tab["rules"]
        ]
        if tab["id"] == walk_tab.TAB:  # (the app's server makes an animated GIF instead)
            tab["download"] = {"label": "Download the frames (PNG)", "name": ["walk", "model", "seed", "seed_b"]}
        shown.append(tab)
    return shown


def _training(showroom: Showroom, out: Path) -> dict:
    """Each model's Training tab, drawn now: its loss curves (a PNG), its timeline's snapshots and its card."""
    shown = {}
    for name in showroom.names():
        curves, snapshots, card = showroom.training(name)
        folder = out / "checkpoints" / name
        entry = {"curves": None, "timeline": [], "card": markdown_html(card)}
        if curves is not None:
            curves.save(folder / "losses.png")
            entry["curves"] = f"checkpoints/{name}/losses.png"
        for snapshot in snapshots:
            (folder / "timeline").mkdir(exist_ok=True)
            shutil.copy2(snapshot, folder / "timeline" / snapshot.name)
            entry["timeline"].append(f"checkpoints/{name}/timeline/{snapshot.name}")
        shown[name] = entry
    return shown


def _page(document: dict) -> str:
    """index.html with the page's description inside it (no request needed to learn what to show) and its
    header, the app's (what gandemo and a GAN are), readable before any script runs."""
    template = (browser.WEB / "static" / "index.html").read_text(encoding="utf-8")
    data = json.dumps(document, separators=(",", ":")).replace("</", "<\\/")  # (safe inside a <script>)
    return template.replace("{{HEADER}}", markdown_html(header.header_markdown())).replace("{{PAGE}}", data)


def _write(showroom: Showroom, out: Path) -> None:
    shutil.copytree(browser.WEB, out / "web", ignore=shutil.ignore_patterns(*LEFT_OUT))
    for name in showroom.names():
        (out / "checkpoints" / name).mkdir(parents=True)
        for file in browser.MODEL_FILES:
            if (showroom.root / name / file).is_file():
                shutil.copy2(showroom.root / name / file, out / "checkpoints" / name / file)
    for file in browser.classifier_files(showroom):  # (the Draw a digit tab's classifier: config and weights)
        (out / "checkpoints" / browser.CLASSIFIER).mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, out / "checkpoints" / browser.CLASSIFIER / file.name)

    def url(path: Path) -> str:  # (relative to index.html; the page makes them absolute)
        path = path.resolve()
        if path.is_relative_to(browser.WEB):
            return "/".join(("web", *path.relative_to(browser.WEB).parts))
        return "/".join(("checkpoints", *path.relative_to(showroom.root.resolve()).parts))

    site = browser.site(showroom, url)
    site["playground"].update(playground_tab.widget_tables())
    site["digits"] = digits_tab.widget_tables(showroom)
    described = tabs(showroom)
    for tab in described:  # the Training tab's pictures, drawn now, shown by a widget of their own
        if tab["id"] == training_tab.TAB:
            view = {"id": "training-view", "widget": "training", "values": ["model"]}
            tab["view"] = {**view, "props": {"pictures": _training(showroom, out)}}
    document = {
        "site": site,
        "katex": url(KATEX) + "/katex.min.js",
        "status": markdown_html(header.footer_markdown(showroom, "static")),
        "tabs": described,
    }
    (out / "index.html").write_text(_page(document), encoding="utf-8")
    (out / MARK).write_text("built by python -m gandemo.static; a later build replaces this folder\n")


def build(out: str | Path, checkpoints: str | Path = "checkpoints") -> Path:
    """Write the static edition of ``checkpoints`` into the folder ``out`` (created, or replaced if an earlier
    build made it), whole or not at all: it is written beside ``out`` and then moved in place."""
    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARK).is_file())):
        raise BuildError(f"{out} is not empty and is not a static edition: name a new or empty folder")
    showroom = Showroom(checkpoints, device="cpu")
    if not showroom.names():
        raise BuildError(f"no checkpoints could be loaded from {checkpoints}: {showroom.status()}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write(showroom, partial)
        if out.exists():
            shutil.rmtree(out)
        partial.rename(out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gandemo.static", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write the static edition into a folder")
    make.add_argument("out", type=Path, help="the folder to write (new, empty, or an earlier build)")
    make.add_argument("--checkpoints", default="checkpoints", help="the checkpoint folder to show")
    args = parser.parse_args(argv)
    try:
        out = build(args.out, args.checkpoints)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"wrote {out}: {len(files)} files, {size / 2**20:.1f} MiB; serve it with: python -m http.server -d {out}")


if __name__ == "__main__":
    main()
