"""gandemo's folders are its layers, lowest first: core (the library), measures, service (what the app's server
draws and how it serves it), ui (the Gradio tabs), and the package's own folder (the commands a user runs:
evaluate, static, deploy). A module may import its own layer and those below it, never one above: every import,
those inside functions included, is read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "gandemo"
LAYERS = ("core", "measures", "service", "ui", "commands")  # lowest first
TOP = "commands"  # the modules directly in gandemo/


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def layer_of(module: str) -> str | None:
    """The layer a gandemo module belongs to, by its folder; None for the package ``gandemo`` itself, the
    parent every module's import runs first (kept light by tests/test_imports.py)."""
    parts = module.split(".")
    if parts == ["gandemo"]:
        return None
    if len(parts) > 2 and parts[1] in LAYERS:
        return parts[1]
    if len(parts) == 2 and parts[1] in LAYERS:  # a layer's own __init__
        return parts[1]
    return TOP


def imported_modules(module: str, path: Path):
    """(line, the gandemo module imported) for every import in the file, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module
            for alias in node.names:  # ``from gandemo.core import models`` imports the module gandemo.core.models
                submodule = f"{source}.{alias.name}"
                yield node.lineno, submodule if submodule in MODULES else source


def test_every_module_lies_in_a_layer():
    folders = {path.parent.relative_to(PACKAGE).as_posix() for path in MODULES.values()}
    assert folders == {".", *LAYERS[:-1]}, "a new folder of Python modules under gandemo/ needs a place in LAYERS"


def test_no_module_imports_one_from_a_higher_layer():
    upward = []
    for module, path in sorted(MODULES.items()):
        own = layer_of(module)
        for line, imported in imported_modules(module, path):
            if imported != "gandemo" and not imported.startswith("gandemo."):
                continue
            target = layer_of(imported)
            if own is not None and target is not None and LAYERS.index(target) > LAYERS.index(own):
                upward.append(f"{module} ({own}) imports {imported} ({target}) on line {line}")
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The reader resolves relative imports, and finds them inside functions too."""
    source = tmp_path / "sampling.py"
    source.write_text("def later():\n    from ..service import showroom\n    from . import models\n")
    found = list(imported_modules("gandemo.core.sampling", source))
    assert found == [(2, "gandemo.service.showroom"), (3, "gandemo.core.models")]
    assert [layer_of(name) for _, name in found] == ["service", "core"]
