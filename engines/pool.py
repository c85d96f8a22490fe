"""The replica side of the engine pool: one engine family per replica, fed sealed requests.

A replica (a Ray Serve deployment, see ``gateway.engine_pool``) holds one family's engine and
its models on its device and answers ``generate(sealed)`` with the engine's output. It never
sees a token, a principal, a consent record, a signing key or the database: only the plain
engine request, and that sealed — AES-GCM with a key the gateway and the replicas share — so a
clone's speaker data (and every prompt) is never in clear in Ray's object store, spill files or
logs. The output comes back as bytes; the gateway alone signs, records and stores it.

A sealed request is ``nonce (12 bytes) || AES-GCM(key, nonce, pickle((id, sealed_at,
request, trace)), aad=family)``, ``trace`` being the W3C trace context of the gateway's
``engine`` span, so the replica's span joins the request's trace. Pickle is safe here only
because the seal authenticates it: a replica opens nothing the key's holder did not seal. A
replica refuses a seal older than ``SEAL_TTL_S`` and one whose id it has already opened, so a
sealed request captured on its way (a clone's speaker data) cannot be run again.

The key never travels through Ray (whose control-plane store keeps deployment arguments in
clear): a replica reads it from its host — ``CONSENTGATE_ENGINE_POOL_KEY`` in the environment
``ray start`` ran with, or the key file whose *path* the gateway passes.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from engines.base import CancelFlag, Engine, EngineKind, EngineOutput
from engines.errors import EngineFailed
from engines.loader import ModelLoader
from engines.tracing import exporting_provider, span_from, tracer_of

KEY_BYTES = 32
_NONCE_BYTES = 12


class SealBroken(EngineFailed):
    """A sealed request that does not open: another key, or bytes changed on the way."""

    code = "engine_seal_broken"


SEAL_TTL_S = 600.0  # transport and a retry take seconds; clocks of two hosts may differ a little
KEY_ENV = "CONSENTGATE_ENGINE_POOL_KEY"


@dataclass(frozen=True)
class Opened:
    """What a seal held: its id and time (replay and age checks), the request, and the trace
    context to continue (W3C headers; empty when the gateway does not trace)."""

    seal_id: bytes
    sealed_at: float
    request: Any
    trace: dict[str, str]


def seal(
    request: Any,
    family: str,
    key: bytes,
    now: float | None = None,
    trace: dict[str, str] | None = None,
) -> bytes:
    """``request`` sealed for the replicas of ``family``, with a fresh id and the time."""
    nonce = os.urandom(_NONCE_BYTES)
    stamped = (os.urandom(16), time.time() if now is None else now, request, trace or {})
    plain = pickle.dumps(stamped, protocol=pickle.HIGHEST_PROTOCOL)
    return nonce + AESGCM(key).encrypt(nonce, plain, family.encode())


def unseal(sealed: bytes, family: str, key: bytes) -> Opened:
    """What ``sealed`` holds. Raises SealBroken if it was not sealed for ``family`` with
    ``key``, or was changed."""
    nonce, ciphertext = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, ciphertext, family.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealBroken("a sealed engine request did not open with the pool's key") from exc
    seal_id, sealed_at, request, trace = pickle.loads(plain)  # authenticated: the key's holder
    return Opened(seal_id, sealed_at, request, trace)


class SealLedger:
    """The seals a replica has opened within their lifetime: a second opening is a replay."""

    def __init__(self, ttl_s: float = SEAL_TTL_S) -> None:
        self._ttl_s = ttl_s
        self._seen: dict[bytes, float] = {}
        self._lock = threading.Lock()

    def admit(self, seal_id: bytes, sealed_at: float, now: float | None = None) -> None:
        """Raises SealBroken for a seal too old, from the future, or already opened."""
        now = time.time() if now is None else now
        if not -self._ttl_s < now - sealed_at < self._ttl_s:
            raise SealBroken("a sealed engine request is stale (or from a clock far off)")
        with self._lock:
            self._seen = {s: t for s, t in self._seen.items() if now - t < self._ttl_s}
            if seal_id in self._seen:
                raise SealBroken("a sealed engine request was replayed")
            self._seen[seal_id] = sealed_at


def host_key(key_file: str | None) -> bytes:
    """The pool key on this host: the environment's, else the file at ``key_file``.

    Raises:
        SealBroken: neither holds 32 bytes (the replica cannot open anything).
    """
    import base64
    import binascii

    encoded = os.environ.get(KEY_ENV)
    try:
        if encoded:
            key = base64.b64decode(encoded, validate=True)
        elif key_file:
            key = Path(key_file).read_bytes()
        else:
            key = b""
    except (OSError, binascii.Error) as exc:
        raise SealBroken(f"the pool key on this host is unreadable: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise SealBroken(f"no {KEY_BYTES}-byte pool key on this host ({KEY_ENV} or the key file)")
    return key


@dataclass(frozen=True)
class ReplicaConfig:
    """What a replica needs to build its engine: plain data, no secrets but the pool key."""

    family: str  # an EngineKind value
    models: dict[str, str] = field(default_factory=dict)
    device: str | None = None
    hub_downloads: bool = False
    image_batch_max: int = 1
    image_batch_wait_s: float = 0.0
    key_file: str | None = None  # a path on the replica's host; never the key itself
    otlp_endpoint: str | None = None  # where this replica exports its spans; none: no tracing


def build_engine(config: ReplicaConfig, loader: ModelLoader) -> Engine:
    """The in-process engine of ``config.family`` (imported here: a replica loads only its own)."""
    family = EngineKind(config.family)
    if family is EngineKind.IMAGE:
        from engines.image import ImageEngine

        return ImageEngine(config.models, loader, config.image_batch_max, config.image_batch_wait_s)
    if family is EngineKind.SPEECH:
        from engines.speech import SpeechEngine

        return SpeechEngine()
    if family is EngineKind.VOICE_CLONE:
        from engines.voice_clone import VoiceCloneEngine

        return VoiceCloneEngine(config.models, loader)
    if family is EngineKind.MUSIC:
        from engines.music import MusicEngine

        return MusicEngine(config.models, loader)
    from engines.video import VideoEngine

    return VideoEngine(config.models, loader)


def output_fields(output: EngineOutput) -> dict[str, Any]:
    """An output as plain fields (what crosses back from a replica)."""
    fields = asdict(output)
    fields["engine"] = str(output.engine)
    return fields


def output_from(fields: Mapping[str, Any]) -> EngineOutput:
    return EngineOutput(**{**fields, "engine": EngineKind(fields["engine"])})


class EngineReplica:
    """One replica's body: Ray Serve wraps it as a deployment (``gateway.engine_pool``)."""

    def __init__(self, config: ReplicaConfig) -> None:
        self._config = config
        self._key = host_key(config.key_file)
        self._ledger = SealLedger()
        self._loader = ModelLoader(config.device, hub_downloads=config.hub_downloads)
        self._engine = build_engine(config, self._loader)
        self._tracer = tracer_of(
            exporting_provider(f"consentgate-engine-{config.family}", config.otlp_endpoint)
            if config.otlp_endpoint
            else None
        )

    async def generate(self, sealed: bytes) -> AsyncIterator[dict[str, Any]]:
        """Stream a sealed request's generation: ``{"progress": [step, total]}`` events, then
        ``{"output": output_fields}``. The engine runs on a thread, so concurrent requests
        reach it together (image requests batch there). Cancelling the stream (the gateway's
        ``cancel()``) sets the engine's cancel flag: it stops between steps."""
        opened = unseal(sealed, self._config.family, self._key)
        self._ledger.admit(opened.seal_id, opened.sealed_at)
        family = self._config.family
        with span_from(self._tracer, "consentgate.replica.generate", opened.trace, family=family):
            async for event in self._run(opened.request):
                yield event

    async def _run(self, request: Any) -> AsyncIterator[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        cancel = CancelFlag()

        def progress(step: int, total: int) -> None:
            loop.call_soon_threadsafe(events.put_nowait, (step, total))

        work = asyncio.ensure_future(
            asyncio.to_thread(self._engine.generate, request, progress=progress, cancel=cancel)
        )
        try:
            while not work.done():
                waiting = asyncio.ensure_future(events.get())
                await asyncio.wait({work, waiting}, return_when=asyncio.FIRST_COMPLETED)
                if waiting.done():
                    yield {"progress": list(waiting.result())}
                else:
                    waiting.cancel()
            output = work.result()  # the engine's error, if it raised, goes to the gateway
        except asyncio.CancelledError:
            cancel.cancel()  # the thread sees it at its next step and ends
            raise
        yield {"output": output_fields(output)}

    async def ready(self) -> str:
        """Answers once the replica is up: the device it generates on."""
        return self._loader.device
