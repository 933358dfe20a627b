"""Adam's bias_correction switch (an extra option, torch always corrects), against hand-worked steps."""
from __future__ import annotations

import math

import numpy as np

from optimizers import OPTIMIZERS, make_optimizer


def _first_two_updates(bias_correction):
    adam = make_optimizer("adam", {"lr": 0.1, "bias_correction": bias_correction}).transformation
    params = np.zeros(2)
    state = adam.init(params)
    first, state = adam.update(np.array([2.0, -0.5]), state, params)
    second, _ = adam.update(np.array([1.0, 1.0]), state, params)
    return first, second


def test_with_correction_the_first_step_is_eta_times_the_sign():
    first, second = _first_two_updates(True)
    np.testing.assert_allclose(first, -0.1 * np.array([2.0, -0.5]) / (np.abs([2.0, -0.5]) + 1e-8), rtol=1e-12)
    m = 0.9 * 0.1 * np.array([2.0, -0.5]) + 0.1 * np.array([1.0, 1.0])
    v = 0.999 * 0.001 * np.array([4.0, 0.25]) + 0.001 * np.array([1.0, 1.0])
    expected = -0.1 * (m / (1 - 0.9 ** 2)) / (np.sqrt(v) / math.sqrt(1 - 0.999 ** 2) + 1e-8)
    np.testing.assert_allclose(second, expected, rtol=1e-12)


def test_without_correction_m_and_v_are_used_as_they_are():
    first, second = _first_two_updates(False)
    g = np.array([2.0, -0.5])
    np.testing.assert_allclose(first, -0.1 * (0.1 * g) / (np.sqrt(0.001 * g * g) + 1e-8), rtol=1e-12)
    m = 0.9 * 0.1 * g + 0.1 * np.array([1.0, 1.0])
    v = 0.999 * 0.001 * g * g + 0.001 * np.array([1.0, 1.0])
    np.testing.assert_allclose(second, -0.1 * m / (np.sqrt(v) + 1e-8), rtol=1e-12)


def test_the_rule_shown_drops_the_hats_when_correction_is_off():
    spec = OPTIMIZERS["adam"]
    on = "\n".join(spec.update_rule({"bias_correction": True}))
    off = "\n".join(spec.update_rule({"bias_correction": False}))
    assert r"\hat m_t" in on and r"1-\beta_1^t" in on
    assert r"\hat" not in off and r"\frac{m_t}{\sqrt{v_t} + \epsilon}" in off

