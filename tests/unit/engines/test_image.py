from __future__ import annotations

import io

import pytest
from PIL import Image

from engines import (
    CancelFlag,
    EngineUnavailable,
    GenerationCancelled,
    ImageEngine,
    ImageRequest,
    ModelLoader,
    ModelUnknown,
    pick_device,
)


@pytest.fixture
def engine(model_loader: ModelLoader) -> ImageEngine:
    return ImageEngine({"tiny": "tiny:0", "missing": "/nonexistent/model-dir-xyz"}, model_loader)


def request(**overrides: object) -> ImageRequest:
    values: dict = {
        "model": "tiny",
        "prompt": "a teapot",
        "width": 64,
        "height": 64,
        "steps": 4,
        "seed": 3,
    }
    values.update(overrides)
    return ImageRequest(**values)


def test_generates_a_png_of_the_asked_size(engine: ImageEngine) -> None:
    output = engine.generate(request(width=96, height=64))
    image = Image.open(io.BytesIO(output.data))
    assert output.mime_type == "image/png"
    assert image.format == "PNG" and image.size == (96, 64)
    assert output.device == pick_device()


def test_seed_and_prompt_decide_the_pixels(engine: ImageEngine) -> None:
    def pixels(**kw: object) -> bytes:
        return Image.open(io.BytesIO(engine.generate(request(**kw)).data)).tobytes()

    assert pixels(seed=3) == pixels(seed=3)
    assert pixels(seed=3) != pixels(seed=4)
    assert pixels(prompt="a teapot") != pixels(prompt="a volcano")


def test_progress_reports_each_step(engine: ImageEngine) -> None:
    seen: list[tuple[int, int]] = []
    engine.generate(request(steps=5), progress=lambda step, total: seen.append((step, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_cancel_stops_generation(engine: ImageEngine) -> None:
    flag = CancelFlag()
    steps: list[int] = []

    def cancel_after_two(step: int, _total: int) -> None:
        steps.append(step)
        if step == 2:
            flag.cancel()

    with pytest.raises(GenerationCancelled):
        engine.generate(request(steps=10), progress=cancel_after_two, cancel=flag)
    assert steps == [1, 2]


def test_unknown_model(engine: ImageEngine) -> None:
    with pytest.raises(ModelUnknown, match="not configured"):
        engine.generate(request(model="nope"))


def test_unloadable_model_is_unavailable_and_not_cached(
    engine: ImageEngine, model_loader: ModelLoader
) -> None:
    with pytest.raises(EngineUnavailable, match="could not be loaded"):
        engine.generate(request(model="missing"))
    assert not model_loader.is_loaded("image:/nonexistent/model-dir-xyz")


def test_loader_builds_each_model_once() -> None:
    loader = ModelLoader(device="cpu")
    builds: list[str] = []
    for _ in range(3):
        loader.get("k", lambda device: builds.append(device) or object())
    assert builds == ["cpu"]
