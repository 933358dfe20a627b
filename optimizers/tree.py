"""Minimal pytrees: a parameter set is one array, or a list/tuple/dict of them.

The optimizers work leaf by leaf, so the same code serves a 2D point, a batch of
points and an MLP's weights. Single arrays take a fast path because the 2D runner
calls this thousands of times per trajectory.
"""
from __future__ import annotations

import numpy as np


def tree_map(fn, tree, *rest):
    """Apply fn leaf-wise to trees of identical structure."""
    if isinstance(tree, np.ndarray):
        return fn(tree, *rest)
    if isinstance(tree, dict):
        return {key: tree_map(fn, tree[key], *(r[key] for r in rest)) for key in tree}
    if isinstance(tree, (list, tuple)):
        return type(tree)(tree_map(fn, *leaves) for leaves in zip(tree, *rest))
    if tree is None:
        return None
    return fn(tree, *rest)


def tree_leaves(tree) -> list:
    if isinstance(tree, dict):
        return [leaf for key in tree for leaf in tree_leaves(tree[key])]
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in tree_leaves(item)]
    return [] if tree is None else [tree]


def global_norm(tree, batch_dims: int = 0):
    """Euclidean norm over all leaves.

    With batch_dims=1 the leading axis indexes independent problems (a batch of 2D
    start points), so each gets its own norm, shaped to broadcast against the leaves.
    """
    if batch_dims == 0:
        return np.sqrt(sum(float(np.sum(np.square(leaf))) for leaf in tree_leaves(tree)))
    total = 0.0
    for leaf in tree_leaves(tree):
        squares = np.square(leaf).reshape(leaf.shape[0], -1).sum(axis=1)
        total = total + squares
    return np.sqrt(total).reshape((-1,) + (1,) * (tree_leaves(tree)[0].ndim - 1))


def tree_flatten(tree):
    """(leaves, rebuild): rebuild(new_leaves) puts new leaves back in the tree's structure."""
    if isinstance(tree, np.ndarray) or tree is None:
        return [tree], lambda leaves: leaves[0]
    leaves = tree_leaves(tree)

    def rebuild(new_leaves):
        it = iter(new_leaves)
        return tree_map(lambda _: next(it), tree)

    return leaves, rebuild
