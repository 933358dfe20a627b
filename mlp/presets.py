"""The lecture's MLP comparisons, as data: GET /api/mlp/options serves them and the page builds
its preset buttons from them.

Every explanation is a measured claim: tests/scenes/test_mlp_presets.py trains each preset
as the page sends it and asserts what its sentence says. The networks are the lecture's:
six hidden layers of 100 units, 30 epochs of SGD with momentum 0.9 on the 600-point spiral.
"""
from __future__ import annotations

from dataclasses import dataclass, field

LECTURE_NETWORK = {"dataset": "spiral", "classes": 3, "samples": 600, "noise": 0.1, "hidden": [100] * 6,
                   "optimizer": "sgd", "params": {"lr": 0.01, "momentum": 0.9}, "batch_size": 32, "epochs": 30,
                   "seed": 0}


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    explanation: str
    variants: tuple[dict, ...]  # what each configuration changes in the lecture network
    base: dict = field(default_factory=lambda: dict(LECTURE_NETWORK))
    # The epoch the explanation's words about activations speak of: the page opens the
    # histograms there (0: the network at initialization, before any update; None: the last).
    epoch: int | None = None

    @property
    def configs(self) -> list[dict]:
        return [{**self.base, "batchnorm": False, **variant} for variant in self.variants]

    def describe(self) -> dict:
        return {"id": self.id, "title": self.title, "explanation": self.explanation, "configs": self.configs,
                "epoch": self.epoch}


PRESETS: dict[str, Preset] = {p.id: p for p in (
    Preset(
        "initialization", "Initialization (6 × 100)",
        "N(0, 0.01): at the start each layer shrinks its input about tenfold, so the last layer's activations "
        "are around 1e-7, the first layer's gradient is below 1e-5 and the network stays at chance. N(0, 1): "
        "pre-activations spread over about ±10, most tanh units of the deeper layers start saturated at ±1 and "
        "the first loss is several times ln 3; it does learn, but stays behind Xavier. Xavier (tanh) and He "
        "(ReLU) keep the activations' spread through all six layers; ReLU with Xavier loses about a third of it "
        "per layer, which six layers survive: all three fit the spiral. All zeros: every "
        "hidden unit outputs 0 and gets no gradient, so the network stays at chance.",
        ({"activation": "tanh", "init": "normal_0.01"}, {"activation": "tanh", "init": "normal_1"},
         {"activation": "tanh", "init": "xavier_normal"}, {"activation": "relu", "init": "he_normal"},
         {"activation": "relu", "init": "xavier_normal"}, {"activation": "tanh", "init": "zeros"}),
        epoch=0),  # "at the start ...", "start saturated": the network before its first update
    Preset(
        "batchnorm", "BatchNorm (6 × 100)",
        "Sigmoid units (Xavier) without BatchNorm: σ′ ≤ 1/4 shrinks the gradient at every layer, the first "
        "layer's gradient is about 1e-4 and the network stays at chance; with BatchNorm after each linear layer "
        "it fits the spiral. BatchNorm also lifts the tanh network with N(0, 0.01) from chance to clearly "
        "learning, though not yet to a fit in 30 epochs.",
        ({"activation": "sigmoid", "init": "xavier_normal"},
         {"activation": "sigmoid", "init": "xavier_normal", "batchnorm": True},
         {"activation": "tanh", "init": "normal_0.01"}, {"activation": "tanh", "init": "normal_0.01", "batchnorm": True})),
    Preset(
        "symmetry", "All weights equal (symmetry)",
        "What if every weight starts with the same value? Then every unit of a layer computes the same function "
        "and receives the same gradient, so the units stay identical however long you train: the network is no "
        "better than one unit per layer and falls far behind random (Xavier) weights, which break the symmetry.",
        ({"activation": "tanh", "init": "constant"}, {"activation": "tanh", "init": "xavier_normal"})),
)}
