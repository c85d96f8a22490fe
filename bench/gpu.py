"""Image throughput on a GPU (or the CPU), without real weights: bare pipeline against the
engine with and without batching, at 1, 4 and 8 concurrent callers.

    python bench/gpu.py                          # CUDA when present: a standard-size pipeline
    python bench/gpu.py --profile tiny           # the tiny profile (any machine)
    python bench/gpu.py --governed               # also the whole gateway path (needs its deps)

``standard`` builds a Stable Diffusion pipeline of sd-turbo's sizes from configs with random,
seeded weights (UNet 320/640/1280/1280 with linear projections, a 23-layer 1024-d CLIP text
encoder, SD's VAE), saves it with ``save_pretrained`` and loads it back through
``engines.image`` like any model directory: fp16 on CUDA, float32 on the CPU. 512², 1 step,
guidance 0 (sd-turbo's settings). It needs torch, diffusers, transformers and this project's
``engines`` package only. ``--governed`` adds the whole gateway path in-process (tokens, casbin,
licence, C2PA, audit, artifact store) through FastAPI's test client; that needs every
dependency of the gateway and is skipped, saying why, where one is missing.

Each row: images per second over the run, p50/p95 latency of one request, and the peak GPU
memory. Callers are threads issuing requests back to back, each with its own seed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engines import ImageEngine, ImageRequest, ModelLoader

# Public ids the default licences.yaml lists, so the governed path admits them.
STANDARD_MODEL = "stabilityai/sd-turbo"
TINY_MODEL = "consentgate/tiny-sd"


def build_standard_pipeline(directory: Path) -> None:
    """Save a random-weight pipeline of sd-turbo's sizes under ``directory``."""
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    from engines._tiny_image import byte_level_tokenizer

    torch.manual_seed(0)
    tokenizer = byte_level_tokenizer()
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=1024,
            intermediate_size=4096,
            num_attention_heads=16,
            num_hidden_layers=23,
            projection_dim=1024,
            hidden_act="gelu",
            max_position_embeddings=77,
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
        )
    )
    unet = UNet2DConditionModel(
        sample_size=64,
        block_out_channels=(320, 640, 1280, 1280),
        layers_per_block=2,
        attention_head_dim=(5, 10, 20, 20),
        cross_attention_dim=1024,
        use_linear_projection=True,
        down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
    )
    vae = AutoencoderKL(
        block_out_channels=(128, 256, 512, 512),
        layers_per_block=2,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        latent_channels=4,
        sample_size=512,
    )
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        timestep_spacing="trailing",
    )
    pipeline = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(directory)


def _peak_gib() -> float:
    return torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else 0.0


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _run_callers(
    callers: int, per_caller: int, call: Callable[[int], None]
) -> tuple[float, list[float]]:
    """Wall seconds and each call's latency, ``callers`` threads × ``per_caller`` calls."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(callers + 1)

    errors: list[BaseException] = []

    def caller(index: int) -> None:
        start.wait()
        try:
            for n in range(per_caller):
                began = time.perf_counter()
                call(index * 1000 + n)
                took = time.perf_counter() - began
                with lock:
                    latencies.append(took)
        except BaseException as exc:  # reported after the others finish
            errors.append(exc)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    _sync()
    if errors:
        raise errors[0]
    return time.perf_counter() - began, latencies


Row = tuple[str, int, float, float, float, float]


def _row(what: str, callers: int, images: int, wall: float, latencies: list[float]) -> Row:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        what,
        callers,
        images / wall,
        statistics.median(ordered) * 1000,
        p95 * 1000,
        _peak_gib(),
    )


def bare_pipeline(engine: ImageEngine, request: ImageRequest, batch: int, runs: int) -> Row:
    """The diffusers pipeline alone (PIL output), ``batch`` prompts a call."""
    source = engine._models[request.model]
    pipeline = engine._loader.get(f"image:{source}", lambda _d: None)
    generators = [torch.Generator("cpu").manual_seed(i) for i in range(batch)]

    def call(_seed: int) -> None:
        with torch.inference_mode():
            pipeline(
                prompt=[request.prompt] * batch,
                width=request.width,
                height=request.height,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance_scale,
                generator=generators,
            )

    call(0)  # warm
    wall, latencies = _run_callers(1, runs, call)
    return _row(f"bare pipeline, batch {batch}", 1, runs * batch, wall, latencies)


def engine_rows(
    models: dict[str, str], loader: ModelLoader, request: ImageRequest, per_caller: int
) -> list[Row]:
    rows = []
    for batch_max, label in ((1, "engine, no batching"), (8, "engine, batching ≤8")):
        engine = ImageEngine(models, loader, batch_max=batch_max, batch_wait_s=0.002)
        engine.generate(request)  # warm
        for callers in (1, 4, 8):

            def call(seed: int, engine: ImageEngine = engine) -> None:
                engine.generate(ImageRequest(**{**request.__dict__, "seed": seed}))

            wall, latencies = _run_callers(callers, per_caller, call)
            rows.append(_row(label, callers, callers * per_caller, wall, latencies))
    return rows


def governed_rows(models: dict[str, str], per_caller: int, side: int, steps: int) -> list[Row]:
    """The whole gateway path in-process; [] (with a note) where its deps are missing."""
    try:
        from fastapi.testclient import TestClient

        from gateway.app import create_app
        from gateway.settings import Settings
    except ImportError as exc:
        print(f"governed path skipped: {exc}", file=sys.stderr)
        return []
    rows = []
    with tempfile.TemporaryDirectory() as data_dir:
        model_id = next(iter(models))
        settings = Settings(
            data_dir=Path(data_dir),
            image_models=models,
            image_default_model=model_id,
            engine_time_limit_s=600,
            engine_queue=64,
        )
        app = create_app(settings)
        identity = app.state.services.dev_identity
        headers = {"Authorization": f"Bearer {identity.mint('bench', ['employee'], ttl_s=3600)}"}
        body = {"prompt": "a lighthouse", "purpose": "internal", "width": side, "height": side}
        body |= {"steps": steps, "guidance_scale": 0.0}
        with TestClient(app) as client:
            client.post("/v1/images", json={**body, "seed": 0}, headers=headers)  # warm

            def call(seed: int) -> None:
                answer = client.post("/v1/images", json={**body, "seed": seed}, headers=headers)
                if answer.status_code != 201:
                    raise RuntimeError(answer.text)

            for callers in (1, 4, 8):
                wall, latencies = _run_callers(callers, per_caller, call)
                rows.append(
                    _row(
                        "governed path, batching ≤8", callers, callers * per_caller, wall, latencies
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("standard", "tiny"), default=None)
    parser.add_argument("--per-caller", type=int, default=None, help="requests per caller")
    parser.add_argument("--governed", action="store_true")
    parser.add_argument("--model-dir", type=Path, default=None, help="reuse a saved pipeline")
    args = parser.parse_args()

    cuda = torch.cuda.is_available()
    profile = args.profile or ("standard" if cuda else "tiny")
    loader = ModelLoader(hub_downloads=False)
    if profile == "standard":
        directory = args.model_dir or Path(tempfile.mkdtemp()) / "sd-turbo-sized"
        if not (directory / "model_index.json").exists():
            started = time.perf_counter()
            build_standard_pipeline(directory)
            print(f"built the pipeline in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        models = {STANDARD_MODEL: str(directory)}
        request = ImageRequest(STANDARD_MODEL, "a lighthouse at dusk", None, 512, 512, 1, 0.0, 0)
        per_caller = args.per_caller or 24
    else:
        models = {TINY_MODEL: "tiny:0"}
        request = ImageRequest(TINY_MODEL, "a lighthouse at dusk", None, 64, 64, 2, 0.0, 0)
        per_caller = args.per_caller or 12

    engine = ImageEngine(models, loader)
    engine.generate(request)  # loads the model
    rows = [bare_pipeline(engine, request, batch, per_caller) for batch in (1, 8)]
    rows += engine_rows(models, loader, request, per_caller)
    if args.governed:
        rows += governed_rows(models, per_caller, request.width, request.steps)

    device = torch.cuda.get_device_name(0) if cuda else f"CPU ({os.cpu_count()} cores)"
    print(f"\n{device}; profile {profile}: {request.width}², {request.steps} step(s), guidance 0;")
    print(f"torch {torch.__version__}; {per_caller} requests per caller after a warm-up.\n")
    print(f"{'what':<30}{'callers':>8}{'images/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'GPU GiB':>9}")
    for what, callers, rate, p50, p95, memory in rows:
        print(f"{what:<30}{callers:>8}{rate:>10.1f}{p50:>9.1f}{p95:>9.1f}{memory:>9.2f}")


if __name__ == "__main__":
    main()
