"""The live playground: it learns, sessions are isolated and limited, and saved models load back."""

from __future__ import annotations

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
    assert gandemo.checkpoints.load_discriminator(generator) is not None
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


@pytest.mark.parametrize("target", playground.TARGETS)
def test_targets_and_rendering(target):
    points = sample_target(target, 500, torch.Generator().manual_seed(0))
    assert points.shape == (500, 2) and points.abs().max() < 3
    session = Playground(PlaygroundSettings(target=target, width=16, depth=1))
    image = session.render(arrows=True)
    assert image.size == (420, 420)
    assert (session.coverage() is None) == (target in ("two moons", "swiss roll"))


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
    blue, orange = (40, 90, 200), (240, 140, 30)
    plot_area = chart[20:-20, 50:-10]  # below the legend, right of the axis labels
    assert (plot_area == blue).all(axis=-1).sum() > 50 and (plot_area == orange).all(axis=-1).sum() > 50
    assert session.losses()["step"][-1] == 30
