"""A tiny numpy MLP for the lecture's questions: activations, initialization, BatchNorm,
dropout, input standardization, early stopping. It trains with the optimizers/ package.

    >>> from mlp import TrainConfig, train
    >>> history, summary = train(TrainConfig(activation="tanh", init="normal_0.01", epochs=20))
"""
from .activations import ACTIVATIONS
from .config import TrainConfig, auto_label
from .datasets import DATASETS, make_dataset
from .initializers import INITIALIZERS
from .losses import LOSSES
from .network import MLP
from .trainer import Training, dataset_of, points_of, train

__all__ = ["ACTIVATIONS", "DATASETS", "INITIALIZERS", "LOSSES", "MLP", "TrainConfig", "Training",
           "auto_label", "dataset_of", "make_dataset", "points_of", "train"]
