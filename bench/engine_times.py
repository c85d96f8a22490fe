"""Tiny-profile time per engine family, on this machine, through the engines' own API.

Each engine is loaded once (first call timed apart), then run N times; p50 and p95 are the
engine's own time, without the gateway (see bench/overhead.py for the governance overhead).

    .venv/bin/python bench/engine_times.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from engines import ImageEngine, ImageRequest, ModelLoader
from engines.music import MusicEngine, MusicRequest
from engines.speech import ESPEAK_MODEL, SpeechEngine, SpeechRequest
from engines.video import VideoEngine, VideoRequest
from engines.voice_clone import VoiceCloneEngine, VoiceCloneRequest

TEXT = "Welcome to the new starters session. Please collect your badge at reception."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    loader = ModelLoader()
    d_vector = np.ones(256, np.float32) / 16.0
    cases: list[tuple[str, Callable[[], Any]]] = [
        (
            "image 64x64, 10 steps",
            lambda: ImageEngine({"m": "tiny:0"}, loader).generate(
                ImageRequest("m", "a lighthouse", width=64, height=64, steps=10)
            ),
        ),
        (
            "speech (eSpeak NG), ~5 s",
            lambda: SpeechEngine().generate(SpeechRequest(ESPEAK_MODEL, TEXT, "en")),
        ),
        (
            "voice clone (tiny VITS)",
            lambda: VoiceCloneEngine({"m": "tiny-vits:0"}, loader).generate(
                VoiceCloneRequest("m", TEXT, "en", d_vector)
            ),
        ),
        (
            "music 1 s (tiny MusicGen)",
            lambda: MusicEngine({"m": "tiny-musicgen:0"}, loader).generate(
                MusicRequest("m", "lofi piano", 1.0)
            ),
        ),
        (
            "music 10 s (tiny MusicGen)",
            lambda: MusicEngine({"m": "tiny-musicgen:0"}, loader).generate(
                MusicRequest("m", "lofi piano", 10.0)
            ),
        ),
        (
            "video 8x64x64, 10 steps",
            lambda: VideoEngine({"m": "tiny-t2v:0"}, loader).generate(
                VideoRequest("m", "a kite", frames=8, width=64, height=64, steps=10)
            ),
        ),
    ]
    print(f"tiny-profile engine time, device {loader.device}, {args.runs} runs after the first")
    print(f"{'engine':<30}{'first ms':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for name, run in cases:
        times = []
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        first, rest = times[0], sorted(times[1:])
        p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
        print(f"{name:<30}{first:>10.1f}{statistics.median(rest):>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
