"""Training processes keep freed memory for reuse (app/heap.py): a 100-unit layer's activations over
the 480-example training set (384 KB) are allocated and freed many times per epoch, and glibc's
adaptive thresholds otherwise return that memory and fault it in again each time."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT_FAULTS = """
import resource, sys
import numpy as np
sys.path.insert(0, {root!r})
from app.heap import keep_freed_memory
applied = keep_freed_memory() if {keep} else True
kept = [np.ones((480, 100)) for _ in range(8)]  # a forward pass's arrays: the heap grows past them
del kept
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(100):
    arrays = [np.ones((480, 100)) for _ in range(8)]
    del arrays
print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(keep: bool) -> tuple[bool, int]:
    out = subprocess.run([sys.executable, "-c", COUNT_FAULTS.format(root=str(ROOT), keep=keep)],
                         capture_output=True, text=True, check=True).stdout.split()
    return out[0] == "True", int(out[1])


def test_freed_arrays_are_reused_without_page_faults():
    applied, faults = _faults(keep=True)
    assert applied
    # 100 rounds of eight 384 KB arrays are ~75,000 pages if each round faulted them in afresh.
    assert faults < 500


def test_without_it_the_same_loop_faults_its_pages_in_again():
    # The reason the setting exists: glibc's defaults return the memory and fault it in again.
    _, faults = _faults(keep=False)
    assert faults > 10_000
