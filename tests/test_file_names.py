"""A checkpoint folder's file names have one owner, the library: the browser is handed them in the site's
``files`` and names every file it reads or saves by them, so no browser file spells one."""

from __future__ import annotations

from gandemo import checkpoints, digit_map, directions
from gandemo.showroom import Showroom
from gandemo.ui import browser


def test_the_site_hands_the_browser_the_librarys_file_names(shown_checkpoints):
    site = browser.site(Showroom(shown_checkpoints, device="cpu"), url=lambda path: path.as_posix())
    files = site["files"]
    assert files == {
        **checkpoints.file_names(),
        "directions": directions.DIRECTIONS_NAME,
        "digit_map": digit_map.DIGIT_MAP_NAME,
    }
    assert checkpoints.file_names()["config"] == checkpoints.CONFIG_NAME == "config.json"
    for name, entry in site["models"].items():  # a model's files sit under the roles that name them
        for role in files.keys() & entry.keys():
            assert entry[role] is None or entry[role].endswith(f"/{name}/{files[role]}"), (name, role)
    assert all(entry["config"] and entry["weights"] for entry in site["models"].values())


def test_no_browser_file_spells_a_checkpoint_file_name():
    names = set(browser.FILE_NAMES.values())
    sources = [
        path
        for path in browser.WEB.rglob("*")
        if path.is_file() and "vendor" not in path.relative_to(browser.WEB).parts
    ]
    assert any(path.name == "playground.js" for path in sources)
    spelled = [
        (path.relative_to(browser.WEB).as_posix(), name)
        for path in sources
        for name in sorted(names)
        if name in path.read_text(encoding="utf-8")
    ]
    assert not spelled, f"name these through the site's files instead: {spelled}"
