"""A user's `pip install` gets a working app, not just a working checkout: build the wheel,
install it into a fresh virtual environment outside the source tree, start `optviz serve`
from there and fetch the page, its modules, its stylesheet, plotly.js and the API."""
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next((work / "dist").glob("optviz-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=300)
    python = work / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=900, cwd=work)
    return work, python, wheel


def test_the_wheel_carries_templates_and_static_files(installed):
    _, _, wheel = installed
    import zipfile
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("app/templates/index.html", "app/static/js/main.js", "app/static/css/optviz.css",
                     "optimizers/registry.py", "surfaces/runner.py", "mlp/trainer.py"):
        assert expected in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_app_serves_everything_from_outside_the_source_tree(installed):
    work, python, _ = installed
    where = subprocess.run([str(python), "-c", "import app, optimizers; print(app.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert str(ROOT) not in where and "site-packages" in where
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    server = subprocess.Popen([str(work / "venv" / "bin" / "optviz"), "serve", "--port", str(port)], cwd=work,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "optviz serve did not come up"
            time.sleep(0.2)
        page = httpx.get(f"{base}/")
        assert page.status_code == 200 and "/static/js/main.js" in page.text
        for path, marker in (("/static/js/main.js", "PathsPanel"), ("/static/js/plots.js", "Plotly"),
                             ("/static/css/optviz.css", ".layout"), ("/vendor/plotly.min.js", "plotly"),
                             ("/docs", "swagger"), ("/static-offline-docs/swagger-ui-bundle.js", "SwaggerUIBundle")):
            response = httpx.get(base + path)
            assert response.status_code == 200 and marker.lower() in response.text[:200000].lower(), path
        answer = httpx.post(f"{base}/api/trajectories", json={"surface": "canyon", "runs": [{"optimizer": "adam"}]})
        assert answer.status_code == 200 and answer.json()["runs"][0]["points"]
    finally:
        server.terminate()
        server.wait(timeout=10)
