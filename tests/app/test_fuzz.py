"""schemathesis against a real `optviz serve`: every phase (examples, coverage, fuzzing, stateful)
and every check (no 5xx, every status and header documented, answers valid per the schema,
schema-invalid requests refused, schema-valid ones accepted, ...) must report 0 failures.

The few limits JSON Schema cannot state (the time model, a typed formula's grammar) are kept out
of the *positive* cases by tests/app/schemathesis_hooks.py; everything else the server refuses
is in the OpenAPI document. The server's budgets are 0.5 s per request (training, trajectories,
grids) so that the work the fuzzer starts stays short (larger requests get the work-limit 422); max examples
and the seed are fixed so the run is reproducible and takes a few minutes."""
import json
import math
import os
import subprocess
import sys

from app.main import create_app

from .test_lecture_hall import serving

app = create_app()
FUZZ_BUDGET = 0.5
MAX_EXAMPLES = 10


def test_schemathesis_all_phases_and_all_checks_pass_against_a_live_server(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    budgets = {"run_budget": FUZZ_BUDGET, "stream_budget": FUZZ_BUDGET, "work_budget": FUZZ_BUDGET}
    with serving(1, tmp_path, **budgets) as (url, _server, log):
        environment = {**os.environ, "PYTHONPATH": root, "SCHEMATHESIS_HOOKS": "tests.app.schemathesis_hooks",
                       **{f"OPTVIZ_{name.upper()}": str(value) for name, value in budgets.items()}}
        # One schemathesis worker: its threads crash CPython 3.11's ast module now and then. The
        # response-time check is set to 30 s (default 10 s): CI shares two cores, and trainings
        # run at low priority behind everything else.
        command = [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
                   "--phases", "examples,coverage,fuzzing,stateful", "--checks", "all",
                   "--max-examples", str(MAX_EXAMPLES), "--seed", "1", "--workers", "1",
                   "--request-timeout", "60", "--max-response-time", "30", "--suppress-health-check", "all"]
        result = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=600)
        report = result.stdout[-6000:] + result.stderr[-2000:]
        assert result.returncode == 0, report
        assert "0 failures" in report or "passed" in report, report
        assert "Traceback" not in open(log).read(), "the server logged a traceback"


def reject_non_finite(token):
    raise AssertionError(f"non-finite number {token} in a response body")


def test_json_numbers_in_answers_are_finite_for_extreme_valid_inputs():
    from fastapi.testclient import TestClient
    client = TestClient(app)
    # 4000 steps: ten runs of 5000 are over the time model's per-request budget (a 422 tested elsewhere)
    body = {"surface": "rosenbrock", "start": [-6.0, -5.0], "steps": 4000, "noise": 100.0, "seed": 4294967295,
            "runs": [{"optimizer": name, "params": {"lr": 100.0}} for name in
                     ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "amsgrad", "adamax", "nadam")]}
    response = client.post("/api/trajectories", json=body)
    assert response.status_code == 200
    values = json.loads(response.text, parse_constant=reject_non_finite)
    assert all(math.isfinite(v) for run in values["runs"] for point in run["points"] for v in point)
