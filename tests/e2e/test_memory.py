"""Memory is bounded before the work starts: the largest video request the tiny ceilings admit
keeps a served gateway within 1 GiB of its idle resident memory (bench/memory.py's
machinery: psutil samples every 10 ms and the kernel's VmHWM, on the server process).

The request is the largest admitted shape (17 frames of 256x256) with 2 denoising steps: peak
memory is what one step and the decode hold, not how many steps run (bench/memory.py measured
peaks of 1969-2172 MiB at 2 steps and 2096 MiB at 6), and the admitted 47 steps take about
12 minutes on 2 CPUs. About 80 s here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench_memory() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_memory", ROOT / "bench" / "memory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


@pytest.mark.xfail(
    strict=True,
    reason="the tiny video ceiling admits more than 1 GiB of growth: measured peak - idle "
    "1178-1381 MiB over 5 runs (loading the model and a first run: ~370-390 MiB; the request's "
    "own: 883-998 MiB against an estimate of 744 MiB: BYTES_PER_FRAME_PIXEL = 700 where "
    "800-940 is measured); 10 frames of 256x256 measured 886 MiB (see the report)",
)
def test_the_largest_admitted_tiny_video_keeps_peak_growth_under_1_gib() -> None:
    memory = _bench_memory()
    row = memory.measure(memory.cases(steps=2)["video"])
    memory.print_table([row])  # pytest -s shows it
    assert row.delta < memory.GIB
