"""Trainings run one per slot side by side, so each must use one BLAS thread: a thread pool in
every training oversubscribes the cores (about 10x slower under load)."""
from pathlib import Path

from app import supervisor
from app.training_client import local_supervisor_pid, supervisor_path


def test_the_supervisor_and_its_trainings_get_one_blas_thread():
    supervisor_path()  # starts this process's own supervisor, as a lone worker does
    environ = Path(f"/proc/{local_supervisor_pid()}/environ").read_bytes().split(b"\0")
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        assert f"{name}=1".encode() in environ
    assert set(supervisor.ONE_BLAS_THREAD) == {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
