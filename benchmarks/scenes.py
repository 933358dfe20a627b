"""Time the default scene (GET /api/surfaces/{name}/scene's work: suggested rates, sweep,
stationary points) of built-in, typed and data surfaces, in CPU seconds (steady under load).

    python benchmarks/scenes.py                  # this tree
    python benchmarks/scenes.py --old DIR        # and a tree exported from an earlier commit, same run:
    git archive 5d9582f optimizers paramschema surfaces | tar -x -C DIR

Each scene is built on a fresh surface (nothing memoized); a typed formula is compiled once
before timing (sympy's import and the compile are the formula check's cost, not the scene's).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
CASES = ["rosenbrock", "typed Rosenbrock, built-in plot and start", "typed Rosenbrock, built-in plot",
         "typed Rosenbrock, default plot",
         "typed Himmelblau", "linear_regression", "linear_regression, 5000 own rows"]


def _surface(case):
    from surfaces import make_surface
    rosenbrock = make_surface("rosenbrock")
    if case == "rosenbrock":
        return rosenbrock
    if case == "typed Rosenbrock, built-in plot and start":
        return make_surface("custom", {"formula": ROSENBROCK, "domain": rosenbrock.domain, "start": rosenbrock.start})
    if case == "typed Rosenbrock, built-in plot":
        return make_surface("custom", {"formula": ROSENBROCK, "domain": rosenbrock.domain})
    if case.startswith("typed Rosenbrock"):
        return make_surface("custom", {"formula": ROSENBROCK})
    if case == "typed Himmelblau":
        return make_surface("custom", {"formula": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"})
    if case == "linear_regression":
        return make_surface("linear_regression")
    import numpy as np
    x = np.random.default_rng(0).uniform(-10, 40, 5000)
    rows = tuple((float(a), float(32 + 1.8 * a + b)) for a, b in zip(x, np.random.default_rng(1).normal(0, 2, 5000)))
    return make_surface("linear_regression", {"data": rows})


def measure() -> dict:
    from surfaces.presets import scene
    times = {}
    for case in CASES:
        try:
            _surface(case)  # compiles a formula once; refused by a tree without the feature
        except (ValueError, TypeError) as error:
            times[case] = f"n/a ({str(error)[:40]})"
            continue
        surface = _surface(case)
        start = time.process_time()
        scene(surface)
        times[case] = round(time.process_time() - start, 2)
    return times


def main():
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
        return
    trees = {"this tree": str(Path(__file__).resolve().parent.parent)}
    if "--old" in sys.argv:
        trees["old tree"] = sys.argv[sys.argv.index("--old") + 1]
    results = {}
    for label, root in trees.items():
        env = os.environ | {"PYTHONPATH": root}
        out = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=root, capture_output=True, text=True,
                             check=True).stdout
        results[label] = json.loads(out.strip().splitlines()[-1])
    print("| scene (CPU s) | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for case in CASES:
        print(f"| {case} | " + " | ".join(str(results[label][case]) for label in results) + " |")
    print(os.popen("uptime").read().strip())


if __name__ == "__main__":
    main()
