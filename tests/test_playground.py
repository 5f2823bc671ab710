"""The live playground: it learns, sessions are isolated and limited, and saved models load back."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
import torch

import gandemo
from gandemo import playground
from gandemo.data import RING_CENTERS
from gandemo.playground import Playground, PlaygroundSettings, SessionLimiter, sample_target

FAST = PlaygroundSettings(objective="wgan-gp", width=64, critic_steps=2, batch_size=64, g_lr=1e-3, d_lr=1e-3)


def mean_distance_to_modes(session: Playground) -> float:
    return torch.cdist(session.samples(), RING_CENTERS).min(dim=1).values.mean().item()


@pytest.mark.slow
def test_a_few_hundred_steps_move_the_generator_onto_the_modes():
    session = Playground(FAST)
    before_distance, before = mean_distance_to_modes(session), session.coverage()
    session.train(300)
    after_distance, after = mean_distance_to_modes(session), session.coverage()
    assert session.step == 300
    assert after_distance < before_distance / 2
    assert after["modes_captured"] > before["modes_captured"]
    assert after["high_quality_share"] > before["high_quality_share"]


def test_sessions_do_not_see_each_other_and_leave_the_global_rng_alone():
    state = torch.get_rng_state()
    a, b = Playground(FAST), Playground(FAST)
    assert torch.equal(a.samples(), b.samples())  # same seed, same start
    a.train(3)
    assert a.step == 3 and b.step == 0
    assert not torch.equal(a.samples(), b.samples())
    b.train(3)
    assert torch.equal(a.samples(), b.samples())  # and the same seed trains the same way
    assert torch.equal(torch.get_rng_state(), state)


def test_saved_playground_model_loads_back_as_a_checkpoint(tmp_path):
    session = Playground(FAST)
    session.train(2)
    folder = session.save(tmp_path / "mine")
    generator = gandemo.load_generator(folder, device="cpu")
    assert torch.allclose(generator(session.fixed_z[:5]), session.samples()[:5])
    assert gandemo.load_checkpoint(folder, device="cpu").discriminator() is not None
    restarted = Playground(FAST, start_from=folder)
    assert torch.allclose(restarted.samples(), session.samples())


def test_limits_on_sessions_and_steps(monkeypatch):
    limiter = SessionLimiter(capacity=1)
    first = limiter.open(FAST)
    with pytest.raises(ValueError, match="full"):
        limiter.open(FAST)
    first.play()
    limiter.close(first)
    assert first.closed and not first.playing  # closing a tab stops its training thread
    second = limiter.open(FAST)
    monkeypatch.setattr(playground, "MAX_STEPS_PER_SESSION", 4)
    second.train(10)
    assert second.step == 4
    with pytest.raises(ValueError, match="limit"):
        second.train(1)


DRAWN = ((-1.0, 1.0), (1.0, 1.0), (0.0, -1.5))


@pytest.mark.parametrize("target", playground.TARGETS)
def test_targets_and_rendering(target):
    drawn = torch.tensor(DRAWN) if target == playground.YOUR_POINTS else None
    points = sample_target(target, 500, torch.Generator().manual_seed(0), drawn)
    assert points.shape == (500, 2) and points.abs().max() < 3
    settings = PlaygroundSettings(target=target, width=16, depth=1, points=DRAWN if drawn is not None else ())
    session = Playground(settings)
    image = session.render(arrows=True)
    assert image.size == (420, 420)
    assert (session.coverage() is None) == (target in ("two moons", "swiss roll"))


def test_a_drawn_target_trains_and_its_points_are_its_modes():
    session = Playground(replace(FAST, objective="gan", critic_steps=1, target=playground.YOUR_POINTS, points=DRAWN))
    assert session.coverage()["modes_total"] == 3
    before = torch.cdist(session.samples(), torch.tensor(DRAWN)).min(dim=1).values.mean()
    session.train(300)
    after = torch.cdist(session.samples(), torch.tensor(DRAWN)).min(dim=1).values.mean()
    assert after < before / 2, (before, after)
    with pytest.raises(ValueError, match="'your points' needs points"):
        PlaygroundSettings(target=playground.YOUR_POINTS).validate()


def test_a_points_file_is_read_scaled_to_fit_and_its_errors_name_the_line():
    points = playground.parse_points("x,y\n0,0\n10,20\n\n-10,-20\n")
    assert points.shape == (3, 2) and float(points.abs().max()) == pytest.approx(2.5)
    assert playground.parse_points("1;0.5\n-1\t0").tolist() == [[1.0, 0.5], [-1.0, 0.0]]
    with pytest.raises(ValueError, match="line 3: expected two numbers x,y, got '1,2,3'"):
        playground.parse_points("x,y\n1,2\n1,2,3")
    with pytest.raises(ValueError, match="no x,y rows"):
        playground.parse_points("x,y\n")
    with pytest.raises(ValueError, match=r"points\[1\] must be a pair"):
        PlaygroundSettings.from_inputs("gan", "your points", 16, 1, 1e-3, 1e-3, 1, 0, 16, [[0, 0], "a"])


@pytest.mark.parametrize("part", ["discriminator only", "generator only"])
def test_freezing_one_network_trains_only_the_other(part):
    session = Playground(FAST)
    session.part = part
    g, d = (
        torch.cat([p.flatten() for p in net.parameters()]).clone() for net in (session.generator, session.discriminator)
    )
    session.train(3)
    g_after, d_after = (
        torch.cat([p.flatten() for p in net.parameters()]) for net in (session.generator, session.discriminator)
    )
    assert torch.equal(g, g_after) == (part == "discriminator only")
    assert torch.equal(d, d_after) == (part == "generator only")
    assert len(session.history["d_loss"]) == len(session.history["g_loss"]) == 1  # the frozen side still measured


def test_slow_motion_caps_the_steps_per_second():
    session = Playground(replace(FAST, critic_steps=1))
    session.steps_per_s = 10
    session.play()
    time.sleep(1.0)
    session.pause()
    assert 3 <= session.step <= 13, session.step


def test_presets_are_valid_and_a_collapsing_gan_is_narrated():
    from gandemo.narration import Measurement, Narrator

    for preset in playground.PRESETS.values():
        preset.settings.validate()
        assert preset.explanation.count(". ") >= 1
    narrator = Narrator()
    for step, covered in enumerate([2, 5, 8, 8, 3], start=1):  # captured all eight, then lost five
        narrator.observe(Measurement(25 * step, covered, 8, 0.3, 0.1, 1.0, "both"))
    said = narrator.markdown()
    assert "All 8 modes captured" in said and "fell from 8 to 3: mode collapse" in said
    narrator.observe(Measurement(150, 3, 8, 0.3, 0.1, -0.5, "both"))
    assert "scores the generated points above the real ones" in narrator.markdown()


def test_a_playing_session_narrates_what_it_measures():
    name = "Mode collapse: the plain GAN on the ring"
    session = Playground(replace(playground.PRESETS[name].settings, width=64))
    session.train(200)
    lines = [text for _, text in session.narrator.lines]
    assert lines and "of 8 modes so far" in lines[0]


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="width"):
        PlaygroundSettings(width=4).validate()
    with pytest.raises(ValueError, match="target"):
        PlaygroundSettings(target="spiral").validate()


def test_loss_chart_draws_both_curves():
    session = Playground(FAST)
    for _ in range(30):  # one history point per call
        session.train(1)
    chart = np.asarray(session.render_losses())
    blue, orange = (0, 114, 178), (213, 94, 0)
    plot_area = chart[20:-20, 50:-10]  # below the legend, right of the axis labels
    assert (plot_area == blue).all(axis=-1).sum() > 50 and (plot_area == orange).all(axis=-1).sum() > 50
    assert session.losses()["step"][-1] == 30


def test_an_unwatched_session_stops_training_and_an_idle_one_yields_its_slot():
    limiter = SessionLimiter(capacity=1, idle_timeout_s=0.5)
    first = limiter.open(FAST, owner="tab-1")
    first.play()
    deadline = time.monotonic() + 10
    while first.playing and time.monotonic() < deadline:  # nobody touches it: it stops by itself
        time.sleep(0.05)
    assert not first.playing and first.step > 0
    second = limiter.open(FAST, owner="tab-2")  # the idle session's slot goes to the next visitor
    assert first.evicted and first.generator is None  # and its networks are freed
    with pytest.raises(ValueError, match="slot went to another visitor"):
        limiter.check(first)
    with pytest.raises(ValueError, match="full"):  # an active session keeps its slot
        limiter.open(FAST)
    assert limiter.check(second) is second


def test_a_closed_tab_frees_its_slot_and_memory_at_once():
    limiter = SessionLimiter(capacity=1, idle_timeout_s=3600)
    session = limiter.open(FAST, owner="tab-1")
    session.play()
    limiter.close_owner("tab-1")
    assert session.closed and not session.playing and session.generator is None
    limiter.open(FAST, owner="tab-2")


def test_settings_from_a_visitors_raw_values_name_the_bad_one():
    good = ("gan", "8 Gaussians", 64, 2, 1e-3, 1e-3, 2, 0.1, 64)
    assert PlaygroundSettings.from_inputs(*good).width == 64
    for position, bad, name in [(2, "64", "width"), (4, None, "generator lr"), (8, 10**9, "batch size")]:
        values = list(good)
        values[position] = bad
        with pytest.raises(ValueError, match=name):
            PlaygroundSettings.from_inputs(*values)


def test_a_saved_archive_unzips_to_a_loadable_checkpoint(tmp_path):
    import zipfile

    session = Playground(FAST)
    session.train(2)
    folder = playground.save_archive(session, tmp_path / "mine.zip")
    with zipfile.ZipFile(tmp_path / "mine.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    generator = gandemo.load_generator(tmp_path / "unzipped" / folder.name, device="cpu")
    assert torch.allclose(generator(session.fixed_z[:5]), session.samples()[:5])


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["lsgan", "hinge"])
def test_lsgan_and_hinge_learn_the_ring_in_the_playground(objective):
    session = Playground(replace(FAST, objective=objective, critic_steps=1))
    before = mean_distance_to_modes(session)
    session.train(600)  # measured: lsgan 1.37 -> 0.17, hinge 1.37 -> 0.50 (mean distance to the nearest mode)
    assert mean_distance_to_modes(session) < before / 2
