"""Muon on weight matrices (torch.optim.Muon's step, in float64) with AdamW on the other parameters."""
import math

import numpy as np

from mlp.config import TrainConfig
from mlp.trainer import train
from optimizers import make_optimizer

NS = (3.4445, -4.7750, 2.0315)


def newton_schulz(g, steps=5, eps=1e-7):
    """torch.optim._muon._zeropower_via_newtonschulz, written out (float64 instead of bfloat16)."""
    a, b, c = NS
    x = g.T if g.shape[0] > g.shape[1] else g
    x = x / max(np.linalg.norm(x), eps)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * (gram @ gram)) @ x
    return x.T if g.shape[0] > g.shape[1] else x


def reference(theta0, grad, steps, lr, wd, momentum=0.95, b1=0.9, b2=0.999, eps=1e-8):
    """torch.optim.Muon on each torch-layout (fan_out, fan_in) weight, torch.optim.AdamW on the bias,
    both with lr and weight decay (the bias undecayed, as the trainer masks it)."""
    w1, w2, bias = [np.array(p) for p in theta0]
    buffers = [np.zeros_like(w1), np.zeros_like(w2)]
    m, v = np.zeros_like(bias), np.zeros_like(bias)
    for t in range(1, steps + 1):
        g1, g2, gb = grad(w1, w2, bias)
        new = []
        for k, (w, g) in enumerate(((w1, g1), (w2, g2))):
            buffers[k] = buffers[k] + (1 - momentum) * (g - buffers[k])  # buf.lerp_(g, 1 - μ)
            update = g + momentum * (buffers[k] - g)  # nesterov: g.lerp(buf, μ)
            fan_out, fan_in = w.shape
            w = w * (1 - lr * wd) - lr * math.sqrt(max(1, fan_out / fan_in)) * newton_schulz(update)
            new.append(w)
        w1, w2 = new
        m = b1 * m + (1 - b1) * gb
        v = b2 * v + (1 - b2) * gb * gb
        bias = bias - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return w1, w2, bias


def test_muon_matches_torchs_step_on_matrices_and_adamw_elsewhere():
    rng = np.random.default_rng(0)
    # torch layout (fan_out, fan_in); the flat vector stores (fan_in, fan_out) like mlp.layers.Linear.
    w1, w2, bias = rng.normal(size=(5, 3)), rng.normal(size=(2, 5)), rng.normal(size=4)
    t1, t2, tb = rng.normal(size=(5, 3)), rng.normal(size=(2, 5)), rng.normal(size=4)

    def grad(a, b, c):  # a quadratic pull toward the targets, with a coupling between the two matrices
        return (a - t1 + 0.1 * b.T @ (b @ a - b @ t1), b - t2, 3.0 * (c - tb))

    views = [(slice(0, 15), (3, 5)), (slice(15, 25), (5, 2))]
    flat = np.concatenate([w1.T.ravel(), w2.T.ravel(), bias])
    mask = np.concatenate([np.ones(25), np.zeros(4)])
    optimizer = make_optimizer("muon", {"lr": 0.02, "weight_decay": 0.1}, decay_mask=mask, matrices=views)
    state = optimizer.transformation.init(flat)
    for _ in range(200):
        a, b, c = flat[:15].reshape(3, 5).T, flat[15:25].reshape(5, 2).T, flat[25:]
        g1, g2, gb = grad(a, b, c)
        g = np.concatenate([g1.T.ravel(), g2.T.ravel(), gb])
        updates, state = optimizer.transformation.update(g, state, flat)
        flat = flat + updates
    e1, e2, eb = reference((w1, w2, bias), grad, 200, 0.02, 0.1)
    ours = np.concatenate([flat[:15].reshape(3, 5).T.ravel(), flat[15:25].reshape(5, 2).T.ravel(), flat[25:]])
    expected = np.concatenate([e1.ravel(), e2.ravel(), eb])
    assert np.allclose(ours, expected, rtol=1e-9, atol=1e-12)
    assert not np.allclose(ours, np.concatenate([w1.ravel(), w2.ravel(), bias]))


def test_orthogonalized_update_has_singular_values_near_one():
    # What "every direction the same size" means: Newton–Schulz maps singular values into about [0.5, 1.5].
    g = np.random.default_rng(1).normal(size=(8, 5)) @ np.diag([10, 3, 1, 0.3, 0.1])
    from optimizers.muon import orthogonalize
    singular = np.linalg.svd(orthogonalize(g), compute_uv=False)
    assert singular.min() > 0.3 and singular.max() < 1.3
    assert np.linalg.svd(g, compute_uv=False).max() / np.linalg.svd(g, compute_uv=False).min() > 50


def test_muon_trains_the_spiral_mlp():
    history, summary = train(TrainConfig(optimizer="muon", params={"lr": 0.02}, epochs=10))
    assert summary["status"] == "finished" and history[-1]["train_acc"] > 0.9
