"""Peak memory of a served gateway (tiny profile) serving the largest request admission allows.

For each kind (image, video, music with a melody, speech, voice clone) a fresh
``consentgate serve`` on 127.0.0.1 (dev auth, tiny profile, a temporary data dir):

- idle: its resident memory once it answers /healthz (models load on first use);
- warm: after what the request needs first (a voice enrolled, a melody uploaded) and one
  small request of the same kind (so the model is loaded: what is left is the request's own);
- peak: while the one request is served, the larger of the kernel's high-water mark
  (``VmHWM``, reset just before the request) and psutil samples every 10 ms, over the
  server process and any children;
- delta = peak - idle, against the 1 GiB the tiny ceilings are meant to keep
  (``gateway/admission.py``); own = peak - warm, beside admission's own estimate.

"Largest" is worked out from ``TINY_CEILINGS`` and each engine's own estimate, the way
admission computes it. Peak memory is what one denoising step and the decode hold, not how
many steps run, so image and video run their largest admitted shape with ``--steps`` (2)
steps; ``--full-steps`` runs the admitted maximum of steps too (on 2 CPUs: image about
25 minutes, video about 12).

    .venv/bin/python bench/memory.py [--kind video] [--steps 2 | --full-steps]

Traffic goes only to 127.0.0.1; each gateway is stopped after its row.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil

from engines import image, music, speech, video, voice_clone
from engines.audio import encode_wav
from gateway.admission import TINY_CEILINGS

HOST = "127.0.0.1"  # loopback only
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 3600
SAMPLE_EVERY_S = 0.01
SETTLE_S = 1.0  # after start-up, before idle is read
GIB = 2**30
MB = 2**20
REFERENCES = (  # two different recordings: the same one twice is refused as a copy
    "The quarterly safety review starts on Monday morning in the main hall.",
    "Please remember to wear your protective glasses near the cutting machines.",
)
PROSE = (
    "The quarterly safety review starts on Monday morning in the main hall, and every team "
    "sends one person who can speak for the work done since the last review. "
)


# -- the largest admitted request of each kind ----------------------------------------------


def _largest_image(steps: int | None) -> dict[str, Any]:
    ceiling = TINY_CEILINGS["image"]
    pixels = ceiling.max_memory_bytes // image.BYTES_PER_PIXEL
    side = min(image.MAX_SIDE, math.isqrt(pixels) // image.SIDE_MULTIPLE * image.SIDE_MULTIPLE)
    most = min(image.MAX_STEPS, int(ceiling.max_work // (side * side * 2)))  # guidance: batch 2
    return {"width": side, "height": side, "steps": min(most, steps or most), "guidance_scale": 7.5}


def _largest_video(steps: int | None) -> dict[str, Any]:
    """The square frames with the most frame-pixels the memory ceiling admits (of equals,
    the larger side), and the most steps the work ceiling then admits."""
    ceiling = TINY_CEILINGS["video"]
    budget = ceiling.max_memory_bytes // video.BYTES_PER_FRAME_PIXEL
    sides = range(video.MIN_SIDE, video.MAX_SIDE + 1, video.SIDE_MULTIPLE)
    _, side = max((min(video.MAX_FRAMES, budget // s**2) * s**2, s) for s in sides)
    frames = min(video.MAX_FRAMES, budget // side**2)
    most = min(video.MAX_STEPS, int(ceiling.max_work // (frames * side * side)))
    return {"width": side, "height": side, "frames": frames, "steps": min(most, steps or most)}


def _text(chars: int) -> str:
    return (PROSE * (chars // len(PROSE) + 1))[: chars - 1] + "."


@dataclass(frozen=True)
class Case:
    kind: str
    path: str
    body: dict[str, Any]
    prepare: Callable[[httpx.Client, Path], dict[str, Any]]  # extra body fields
    small: dict[str, Any]  # a small request of the kind: loads its model
    estimate: int  # admission's memory estimate for ``body``, bytes

    def describe(self) -> str:
        body = self.body
        if self.kind == "image":
            return f"{body['width']}x{body['height']}, {body['steps']} steps, guidance"
        if self.kind == "video":
            return f"{body['frames']}x{body['width']}x{body['height']}, {body['steps']} steps"
        if self.kind == "music":
            return f"{body['duration_s']:.0f} s + {music.MAX_MELODY_S:.0f} s melody"
        return f"{len(body['text'])} characters"


def _no_preparation(_client: httpx.Client, _data_dir: Path) -> dict[str, Any]:
    return {}


def _upload_melody(client: httpx.Client, data_dir: Path) -> dict[str, Any]:
    rate = 32_000
    seconds = music.MAX_MELODY_S + 2  # longer than is decoded: the bound is the gateway's
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t * (1 + 0.1 * np.sin(2 * np.pi * 0.5 * t)))
    files = {"file": ("melody.wav", encode_wav(tone.astype(np.float32), rate), "audio/wav")}
    uploaded = client.post(
        "/v1/inputs", files=files, data={"licence": "own-recording"}, headers=_auth(data_dir)
    )
    uploaded.raise_for_status()
    return {"melody_input_id": uploaded.json()["input_id"]}


def _enrol_voice(client: httpx.Client, data_dir: Path) -> dict[str, Any]:
    from engines._espeak import Espeak, EspeakVoice

    def speak(text: str) -> bytes:
        samples = Espeak().synthesise(text, EspeakVoice("en", "m3"))
        return encode_wav(samples, Espeak.sample_rate)

    owner = _auth(data_dir, "olivia", "voice_user")
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    scope = {"subjects": ["colin"], "purposes": ["internal"], "expires_at": expires}
    challenge = client.post(
        "/v1/voices/challenge", json={"language": "en", "scope": scope}, headers=owner
    )
    challenge.raise_for_status()
    references = [
        ("references", (f"r{n}.wav", speak(text), "audio/wav")) for n, text in enumerate(REFERENCES)
    ]
    statement = ("statement", ("s.wav", speak(challenge.json()["statement"]), "audio/wav"))
    files = [*references, statement]
    voice = client.post(
        "/v1/voices",
        data={"challenge_id": challenge.json()["challenge_id"]},
        files=files,
        headers=owner,
    )
    if voice.status_code != 201:
        raise RuntimeError(f"enrolment: {voice.status_code} {voice.text[:500]}")
    voice_id = voice.json()["voice_id"]
    if voice.json()["status"] == "pending_review":  # no recogniser heard the phrase: review
        review = {"decision": "approve", "reason": "statement heard by a reviewer"}
        officer = _auth(data_dir, "rhea", "compliance_officer")
        approved = client.post(f"/v1/voices/{voice_id}/review", json=review, headers=officer)
        if approved.status_code != 200:
            raise RuntimeError(f"review: {approved.status_code} {approved.text[:500]}")
    return {"voice_id": voice_id}


def cases(steps: int | None) -> dict[str, Case]:
    """The largest admitted request per kind (``steps``: at most this many; None: all)."""
    big_image, big_video = _largest_image(steps), _largest_video(steps)
    frames = big_video["frames"] * big_video["width"] * big_video["height"]
    long_speech, long_clone = _text(speech.MAX_TEXT_CHARS), _text(voice_clone.MAX_TEXT_CHARS)
    melody_s = music.MAX_DURATION_S + music.MAX_MELODY_S
    return {
        "image": Case(
            "image",
            "/v1/images",
            {"prompt": "a lighthouse", **big_image},
            _no_preparation,
            {"prompt": "a lighthouse", "width": 64, "height": 64, "steps": 2},
            big_image["width"] * big_image["height"] * image.BYTES_PER_PIXEL,
        ),
        "video": Case(
            "video",
            "/v1/videos",
            {"prompt": "waves", **big_video},
            _no_preparation,
            {"prompt": "waves", "frames": 8, "width": 64, "height": 64, "steps": 2},
            frames * video.BYTES_PER_FRAME_PIXEL,
        ),
        "music": Case(
            "music",
            "/v1/music",
            {"prompt": "a calm piano", "duration_s": music.MAX_DURATION_S},
            _upload_melody,
            {"prompt": "a calm piano", "duration_s": 1.0},
            int(melody_s * music.BYTES_PER_SECOND),
        ),
        "speech": Case(
            "speech",
            "/v1/speech",
            {"text": long_speech, "language": "en"},
            _no_preparation,
            {"text": PROSE, "language": "en"},
            len(long_speech) * speech.BYTES_PER_CHAR,
        ),
        "voice_clone": Case(
            "voice_clone",
            "/v1/voice-clones",
            {"text": long_clone, "language": "en"},
            _enrol_voice,
            {"text": PROSE, "language": "en"},
            len(long_clone) * voice_clone.BYTES_PER_CHAR,
        ),
    }


# -- a served gateway and its memory ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _auth(data_dir: Path, subject: str = "alice", role: str = "employee") -> dict[str, str]:
    from gateway.dev_identity import DevIdentity

    token = DevIdentity.load_or_create(data_dir).mint(subject, [role], 3600)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Served:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def serve(work_dir: Path) -> Served:
    """A tiny-profile gateway whose generations all run synchronously (so that the request
    being measured is the one the caller waits for). Raises RuntimeError if it does not start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSENTGATE_")}
    run_now = {kind: {"sync_max_work": 1e18} for kind in TINY_CEILINGS}
    env |= {
        "CONSENTGATE_DATA_DIR": str(work_dir / "data"),
        "CONSENTGATE_AUTH_MODE": "dev",
        "CONSENTGATE_PROFILE": "tiny",
        "CONSENTGATE_ADMISSION_CEILINGS": json.dumps(run_now),
        "CONSENTGATE_ENGINE_TIME_LIMIT_S": str(REQUEST_TIMEOUT_S),
    }
    port = _free_port()
    log = (work_dir / "gateway.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "consentgate"), "serve", "--host", HOST, "--port", str(port)],
        env=env,
        cwd=work_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return Served(url, work_dir / "data", process)
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    tail = (work_dir / "gateway.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"the gateway did not start:\n{tail}")


def rss(pid: int) -> int:
    """Resident bytes of the process and its children."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # it ended meanwhile
            total += child.memory_info().rss
    return total


def _reset_high_water(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # Linux: VmHWM := current RSS
    except OSError:
        return False
    return True


def _high_water(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakSampler:
    """The largest RSS seen while running: psutil samples, and VmHWM where Linux has it."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._stop = threading.Event()
        self._kernel = _reset_high_water(pid)
        self.sampled = rss(pid)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            try:
                self.sampled = max(self.sampled, rss(self._pid))
            except psutil.NoSuchProcess:
                return

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak(self) -> int:
        return max(self.sampled, _high_water(self._pid) if self._kernel else 0)


@dataclass(frozen=True)
class Row:
    kind: str
    request: str
    idle: int
    warm: int
    peak: int
    estimate: int
    seconds: float

    @property
    def delta(self) -> int:
        return self.peak - self.idle

    @property
    def own(self) -> int:
        return self.peak - self.warm


def measure(case: Case) -> Row:
    """Serve ``case`` once on a fresh gateway. Raises RuntimeError if it is not answered 201."""
    with tempfile.TemporaryDirectory(prefix="consentgate-memory-") as work_dir:
        served = serve(Path(work_dir))
        try:
            time.sleep(SETTLE_S)
            pid = served.process.pid
            idle = rss(pid)
            with httpx.Client(base_url=served.url, timeout=REQUEST_TIMEOUT_S) as client:
                extra = {**case.prepare(client, served.data_dir), "purpose": "internal"}
                headers = _auth(served.data_dir, *_caller(case.kind))
                small = {**case.small, **extra}
                small.pop("melody_input_id", None)
                _created(
                    case.kind, client.post(f"{case.path}?mode=sync", json=small, headers=headers)
                )
                time.sleep(SETTLE_S)
                warm = rss(pid)
                start = time.perf_counter()
                with PeakSampler(pid) as sampler:
                    answer = client.post(
                        f"{case.path}?mode=sync", json={**case.body, **extra}, headers=headers
                    )
                seconds = time.perf_counter() - start
            _created(case.kind, answer)
            return Row(case.kind, case.describe(), idle, warm, sampler.peak, case.estimate, seconds)
        finally:
            served.stop()


def _created(kind: str, answer: httpx.Response) -> None:
    if answer.status_code != 201:
        raise RuntimeError(f"{kind}: {answer.status_code} {answer.text[:500]}")


def _caller(kind: str) -> tuple[str, str]:
    return ("colin", "voice_user") if kind == "voice_clone" else ("alice", "employee")


def print_table(rows: list[Row]) -> None:
    print(
        f"consentgate peak memory, tiny profile, CPU ({os.cpu_count()} CPUs), a fresh served "
        "gateway per row; MB = MiB"
    )
    header = (
        f"{'kind':<12}{'largest admitted request':<30}{'idle MB':>8}{'warm MB':>8}"
        f"{'peak MB':>8}{'delta MB':>9}{'< 1 GiB':>8}{'own MB':>7}{'est. MB':>8}{'s':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.kind:<12}{r.request:<30}{r.idle / MB:>8.0f}{r.warm / MB:>8.0f}"
            f"{r.peak / MB:>8.0f}{r.delta / MB:>9.0f}{'yes' if r.delta < GIB else 'NO':>8}"
            f"{r.own / MB:>7.0f}{r.estimate / MB:>8.0f}{r.seconds:>7.1f}"
        )
    print(
        "idle: after start-up; warm: after the prerequisites (a voice enrolled, a melody "
        "uploaded) and one small request of the kind; peak: max of VmHWM and 10 ms psutil "
        "samples while the largest request ran; delta = peak - idle; own = peak - warm; "
        "est.: admission's memory estimate for the request"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--kind", action="append", choices=sorted(TINY_CEILINGS), help="repeat; default all"
    )
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument("--steps", type=int, default=2, help="diffusion steps (default 2)")
    steps.add_argument("--full-steps", action="store_true", help="the admitted maximum of steps")
    args = parser.parse_args(argv)
    if not 1 <= args.steps <= image.MAX_STEPS:
        parser.error(f"--steps must be in [1, {image.MAX_STEPS}]")
    chosen = cases(None if args.full_steps else args.steps)
    order = ["image", "video", "music", "speech", "voice_clone"]
    rows = [measure(chosen[kind]) for kind in order if kind in (args.kind or order)]
    print_table(rows)


if __name__ == "__main__":
    main()
