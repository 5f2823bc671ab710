"""The served files' sweep (gandemo/service/serving.py): old files go, young and kept ones stay, and a sweep survives
request threads adding files while it runs (Gradio's own sweep stops for good there)."""

from __future__ import annotations

import os

import gradio as gr

from gandemo.service import serving


def served(tmp_path, names: list[str]) -> tuple[gr.Blocks, set[str]]:
    with gr.Blocks() as demo:
        kept = gr.Image()
    files = demo.temp_file_sets[0]
    for name in names:
        path = tmp_path / name
        path.write_bytes(b"png")
        files.add(str(path))
    kept.keep_in_cache.add(str(tmp_path / "kept.png"))
    return demo, files


def test_a_sweep_deletes_the_old_files_and_keeps_the_young_and_the_kept(tmp_path):
    demo, files = served(tmp_path, ["a.png", "b.png", "kept.png"])
    assert serving.sweep_files(demo, age_s=3600) == 0  # all young
    assert serving.sweep_files(demo, age_s=-1) == 2
    assert files == {str(tmp_path / "kept.png")} and sorted(os.listdir(tmp_path)) == ["kept.png"]


def test_a_sweep_survives_files_added_while_it_runs(tmp_path, monkeypatch):
    demo, files = served(tmp_path, [f"{i}.png" for i in range(20)])
    lstat = os.lstat

    def lstat_while_a_request_adds_a_file(name):
        late = tmp_path / f"late-{len(files)}.png"
        late.write_bytes(b"png")
        files.add(str(late))  # what a request thread does meanwhile
        return lstat(name)

    monkeypatch.setattr(serving.os, "lstat", lstat_while_a_request_adds_a_file)
    assert serving.sweep_files(demo, age_s=-1) == 20
    assert files and all(os.path.basename(name).startswith("late-") for name in files)  # the next sweep's
