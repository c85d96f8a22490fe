"""Batching inside the image engine: requests that arrive together share one pipeline run, and
each image is the one its request gives alone (within ±1 per channel: batched kernels round
differently); formats; a cancelled member of a batch; the batcher's own rules."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from engines import CancelFlag, GenerationCancelled, ModelLoader
from engines.batching import Batcher
from engines.image import ImageEngine, ImageRequest

MODELS = {"tiny": "tiny:0"}


def _request(seed: int, **overrides: object) -> ImageRequest:
    fields: dict[str, object] = {
        "model": "tiny",
        "prompt": f"a lighthouse, take {seed}",
        "width": 64,
        "height": 64,
        "steps": 2,
        "guidance_scale": 0.0,
        "seed": seed,
    }
    fields.update(overrides)
    return ImageRequest(**fields)  # type: ignore[arg-type]


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


def _together(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Run ``calls`` at once, as the gateway's lanes do."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture(scope="module")
def loader() -> ModelLoader:
    return ModelLoader(device="cpu", hub_downloads=False)


def test_a_batched_image_is_the_image_its_request_gives_alone(loader: ModelLoader) -> None:
    alone = ImageEngine(MODELS, loader)
    batched = ImageEngine(MODELS, loader, batch_max=4, batch_wait_s=2.0)
    requests = [
        _request(1),
        _request(2, negative_prompt="blurry"),
        _request(3, guidance_scale=0.0),
        _request(4, prompt="灯台"),
    ]
    outputs = _together([lambda r=r: batched.generate(r) for r in requests])
    assert [o.details["batch_size"] for o in outputs] == [4, 4, 4, 4]  # type: ignore[attr-defined]
    for request, output in zip(requests, outputs, strict=True):
        single = alone.generate(request)
        assert single.details["batch_size"] == 1
        difference = np.abs(_pixels(output.data) - _pixels(single.data))  # type: ignore[attr-defined]
        assert difference.max() <= 1, request
    # Different seeds gave different images: the batch did not repeat one latent.
    first, second = (_pixels(o.data) for o in outputs[:2])  # type: ignore[attr-defined]
    assert np.abs(first - second).mean() > 1


def test_guidance_with_mixed_negative_prompts_matches_alone(loader: ModelLoader) -> None:
    alone = ImageEngine(MODELS, loader)
    batched = ImageEngine(MODELS, loader, batch_max=2, batch_wait_s=2.0)
    requests = [
        _request(5, guidance_scale=5.0),
        _request(6, guidance_scale=5.0, negative_prompt="fog"),
    ]
    outputs = _together([lambda r=r: batched.generate(r) for r in requests])
    for request, output in zip(requests, outputs, strict=True):
        assert output.details["batch_size"] == 2  # type: ignore[attr-defined]
        difference = np.abs(_pixels(output.data) - _pixels(alone.generate(request).data))  # type: ignore[attr-defined]
        assert difference.max() <= 1


def test_requests_that_cannot_share_a_run_are_not_batched(loader: ModelLoader) -> None:
    engine = ImageEngine(MODELS, loader, batch_max=4, batch_wait_s=0.3)
    requests = [_request(1), _request(2, width=72), _request(3, steps=3)]
    outputs = _together([lambda r=r: engine.generate(r) for r in requests])
    assert [o.details["batch_size"] for o in outputs] == [1, 1, 1]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fmt", "mime_type", "pillow_format"),
    [("png", "image/png", "PNG"), ("jpeg", "image/jpeg", "JPEG"), ("webp", "image/webp", "WEBP")],
)
def test_output_formats(loader: ModelLoader, fmt: str, mime_type: str, pillow_format: str) -> None:
    output = ImageEngine(MODELS, loader).generate(_request(7, format=fmt))
    assert output.mime_type == mime_type
    image = Image.open(io.BytesIO(output.data))
    assert (image.format, image.size) == (pillow_format, (64, 64))


def test_a_cancelled_member_stops_alone(loader: ModelLoader) -> None:
    engine = ImageEngine(MODELS, loader, batch_max=2, batch_wait_s=2.0)
    flag = CancelFlag()
    flag.cancel()
    results = _together(
        [
            lambda: _outcome(lambda: engine.generate(_request(8), cancel=flag)),
            lambda: _outcome(lambda: engine.generate(_request(9))),
        ]
    )
    assert isinstance(results[0], GenerationCancelled)
    assert results[1].details["batch_size"] == 2  # type: ignore[union-attr]


def _outcome(call: Callable[[], object]) -> object:
    try:
        return call()
    except Exception as exc:
        return exc


# -- the batcher's own rules -------------------------------------------------------------------


def _recording_batcher(max_batch: int, wait_s: float) -> tuple[Batcher[int, int], list[list[int]]]:
    runs: list[list[int]] = []

    def run(items: Sequence[int]) -> list[int]:
        runs.append(list(items))
        time.sleep(0.05)
        return [item * 10 for item in items]

    return Batcher(run, max_batch, wait_s), runs


def test_a_full_batch_runs_without_waiting_out_its_wait() -> None:
    batcher, runs = _recording_batcher(max_batch=3, wait_s=30.0)
    started = time.monotonic()
    results = _together([lambda i=i: batcher.submit("k", i) for i in range(3)])
    assert sorted(results) == [0, 10, 20]  # type: ignore[type-var]
    assert [sorted(r) for r in runs] == [[0, 1, 2]]
    assert time.monotonic() - started < 10  # not the 30 s wait


def test_no_batch_exceeds_its_maximum_and_every_caller_gets_its_own_result() -> None:
    batcher, runs = _recording_batcher(max_batch=4, wait_s=0.2)
    results = _together([lambda i=i: batcher.submit(i % 2, i) for i in range(16)])
    assert results == [i * 10 for i in range(16)]
    assert all(len(run) <= 4 for run in runs)
    assert sorted(i for run in runs for i in run) == list(range(16))
    assert all(len({i % 2 for i in run}) == 1 for run in runs)  # keys never mix


def test_an_error_reaches_every_caller_of_the_batch() -> None:
    def run(items: Sequence[int]) -> list[int]:
        raise ValueError(f"boom {len(items)}")

    batcher: Batcher[int, int] = Batcher(run, 3, 5.0)
    results = _together([lambda i=i: _outcome(lambda: batcher.submit("k", i)) for i in range(3)])
    assert all(isinstance(r, ValueError) and str(r) == "boom 3" for r in results)
    assert len({id(r) for r in results}) == 3  # each thread raised its own object


def test_a_batch_of_one_does_not_wait() -> None:
    batcher, runs = _recording_batcher(max_batch=1, wait_s=30.0)
    started = time.monotonic()
    assert batcher.submit("k", 2) == 20
    assert time.monotonic() - started < 5 and runs == [[2]]


def test_a_key_s_limit_caps_its_batches_below_the_maximum() -> None:
    batcher, runs = _recording_batcher(max_batch=8, wait_s=0.3)
    results = _together([lambda i=i: batcher.submit("large", i, limit=2) for i in range(6)])
    assert results == [i * 10 for i in range(6)]
    assert all(len(run) <= 2 for run in runs) and len(runs) >= 3


def test_a_caller_that_gives_up_leaves_without_waiting_for_the_run() -> None:
    """A cancelled or timed-out member was held until the whole batch ended (found by the
    attack: cancelled at 1 s, released at 5.6 s)."""
    release = threading.Event()

    def run(items: Sequence[int]) -> list[int]:
        release.wait(30)
        return list(items)

    batcher: Batcher[int, int] = Batcher(run, 2, 5.0)
    gave_up = threading.Event()
    outcomes: dict[str, object] = {}

    def leader() -> None:
        outcomes["leader"] = batcher.submit("k", 1)

    def follower() -> None:
        started = time.monotonic()
        outcomes["follower"] = _outcome(lambda: batcher.submit("k", 2, None, gave_up.is_set))
        outcomes["follower_s"] = time.monotonic() - started

    threads = [threading.Thread(target=leader), threading.Thread(target=follower)]
    threads[0].start()
    time.sleep(0.1)
    threads[1].start()
    time.sleep(0.3)  # the batch is full and running, held by ``release``
    gave_up.set()
    threads[1].join(timeout=5)
    assert not threads[1].is_alive()
    from engines.batching import Abandoned

    assert isinstance(outcomes["follower"], Abandoned)
    assert outcomes["follower_s"] < 5  # type: ignore[operator]
    release.set()
    threads[0].join(timeout=5)
    assert outcomes["leader"] == 1  # the run went on for the others
