"""Where Python and the browser must agree, the browser reads Python's data and keeps no copy: a checkpoint
folder's file names (the site's ``files``: the browser names every file it reads or saves by them) and the text
a link may write for a number (each setting's ``text``)."""

from __future__ import annotations

from gandemo.core import checkpoints, settings
from gandemo.measures import digit_map, directions, misses
from gandemo.service.showroom import Showroom
from gandemo.ui import browser


def test_the_site_hands_the_browser_the_librarys_file_names(shown_checkpoints):
    site = browser.site(Showroom(shown_checkpoints, device="cpu"), url=lambda path: path.as_posix())
    files = site["files"]
    assert files == {
        **checkpoints.file_names(),
        "directions": directions.DIRECTIONS_NAME,
        "digit_map": digit_map.DIGIT_MAP_NAME,
        "misses": misses.MISSES_NAME,
    }
    assert checkpoints.file_names()["config"] == checkpoints.CONFIG_NAME == "config.json"
    for name, entry in site["models"].items():  # a model's files sit under the roles that name them
        for role in files.keys() & entry.keys():
            assert entry[role] is None or entry[role].endswith(f"/{name}/{files[role]}"), (name, role)
    assert all(entry["config"] and entry["weights"] for entry in site["models"].values())


def browser_sources() -> dict[str, str]:
    """The browser's own files (its vendored libraries aside): name -> text."""
    web = browser.WEB
    skipped = {"vendor", "data"}  # third-party code; the digits the browser trains on
    paths = [p for p in web.rglob("*") if p.is_file() and not skipped & set(p.relative_to(web).parts)]
    return {p.relative_to(web).as_posix(): p.read_text(encoding="utf-8") for p in paths}


def test_no_browser_file_spells_a_checkpoint_file_name():
    sources = browser_sources()
    assert "widgets/playground.js" in sources and "runtime/checkpoint.js" in sources
    spelled = [(path, name) for path, text in sources.items() for name in browser.FILE_NAMES.values() if name in text]
    assert not spelled, f"name these through the site's files instead: {spelled}"


def test_the_browser_reads_a_links_numbers_by_the_settings_patterns():
    table = settings.table()
    specs = [spec for group in table.values() for spec in group.values()]
    assert {spec["text"] for spec in specs if spec["whole"]} == {settings.WHOLE_TEXT.pattern}
    assert {spec["text"] for spec in specs if not spec["whole"]} == {settings.NUMBER_TEXT.pattern}
    for path, text in browser_sources().items():  # (a pattern's distinctive part, as JavaScript would write it)
        assert "{1,18}" not in text and "{0,40}" not in text, path
