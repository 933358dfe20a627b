"""The activation histograms show every activation where it is: each layer's plotted range runs
from its lowest to its highest activation (the server's bins over the layer's own range), so no
value lies beyond the axis and none is piled into an edge bin it does not belong to. Checked on
a network whose activations run far past any fixed range: ReLU with N(0, 1) weights, whose
activations grow about fivefold per layer (to the hundreds in layer 3), against the same
network's activations computed here by the mlp package."""
import numpy as np
import pytest

from mlp import TrainConfig, Training

from .mlp_helpers import mlp_page, train_to_end  # noqa: F401

pytestmark = pytest.mark.browser

LARGE_RELU = {"activation": "relu", "init": "normal_1", "hidden": [64, 64, 64], "epochs": 2, "samples": 300}
QUERY = "&mrun=activation:relu,init:normal_1,hidden:64|64|64,epochs:2,samples:300&mepoch=0"


def reference_activations(config):
    training = Training(TrainConfig(**config))
    measured = training.net.forward(training.flat, training.buffers, training.x_train, "measure")
    return [np.asarray(a).ravel() for a in measured.hidden]


def test_a_large_init_relu_networks_histograms_hold_every_activation(mlp_page):
    watch = mlp_page(f"&present=1{QUERY}", viewport=(1024, 768))
    train_to_end(watch)
    page = watch.page
    run = page.evaluate("() => window.optvizMlp.mlp.runs[0]")
    assert {key: run[key] for key in LARGE_RELU} == LARGE_RELU
    shown = page.evaluate("""() => { const n = document.getElementById('mlp-histograms'); const l = n._fullLayout;
        return n.data.map((t, i) => { const axis = l[i ? `xaxis${i + 1}` : 'xaxis'];
          return {range: axis.range, x: Array.from(t.x), y: Array.from(t.y), width: Array.from(t.width),
                  bins: Array.from(t.customdata || []), hover: t.hovertemplate}; }); }""")
    assert page.input_value("#mlp-epoch") == "0"
    activations = reference_activations(run)  # the page's network, every field as it trained it
    assert len(shown) == len(activations) == 3
    assert activations[-1].max() > 100  # far beyond the ±1 or ±5 a fixed axis would show
    for layer, (bars, a) in enumerate(zip(shown, activations), start=1):
        low, high = bars["range"]
        step = (a.max() - a.min()) / len(bars["y"])
        # the axis spans every activation: none lies beyond either end
        assert low <= a.min() + 1e-3 * step and a.max() - 1e-3 * step <= high, (layer, bars["range"], a.min(), a.max())
        # the bars tile the axis and hold every activation (their shares add up to all of them)
        assert bars["x"][0] - bars["width"][0] / 2 == pytest.approx(low, abs=1e-3 * step)
        assert bars["x"][-1] + bars["width"][-1] / 2 == pytest.approx(high, abs=1e-3 * step)
        assert sum(bars["y"]) == pytest.approx(1.0)
        # each bar is the share of activations in its own bin (numpy's), the edge bins included:
        # the last holds only the few largest values, the first ReLU's zeros and the smallest
        counts, _ = np.histogram(a, bins=len(bars["y"]), range=(a.min(), a.max()))
        assert bars["y"] == pytest.approx((counts / a.size).tolist(), abs=1e-9), layer
        assert bars["y"][-1] < 0.01 and bars["y"][0] == pytest.approx(np.mean(a < a.min() + step), abs=1e-9)
        # a bar's hover names its bin, edge to edge (the tall first bar: "0 to 0.24", where ReLU's zeros are)
        assert bars["bins"][0][0] == pytest.approx(low) and bars["bins"][-1][1] == pytest.approx(high)
        assert "%{customdata[0]:.3g} to %{customdata[1]:.3g}" in bars["hover"]
    assert watch.errors == []
