"""Memory is bounded before the work starts: the largest video request the tiny ceilings admit
keeps a served gateway within 1 GiB of its idle resident memory (bench/memory.py's
machinery: psutil samples every 10 ms and the kernel's VmHWM, on the server process).

The request is the largest admitted shape (the most frame-pixels the memory ceiling admits:
5 frames of 336x336 with the 512 MiB ceiling and 950 B per frame-pixel) with 2 denoising
steps: peak memory is what one step and the decode hold, not how many steps run
(bench/memory.py measured 2063 and 2096 MiB peaks at 2 and 6 steps of one shape), and the
admitted 50 steps take many minutes on 2 CPUs. About 80-100 s here; measured growth 859-937 MiB
over three shapes of that size (the ceiling before, 768 MiB at 700 B, admitted 1178-1381).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _bench_memory() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_memory", ROOT / "bench" / "memory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


def test_the_largest_admitted_tiny_video_keeps_peak_growth_under_1_gib() -> None:
    memory = _bench_memory()
    row = memory.measure(memory.cases(steps=2)["video"])
    memory.print_table([row])  # pytest -s shows it
    assert row.delta < memory.GIB
