"""The engine pool on Ray Serve (``CONSENTGATE_ENGINE_BACKEND=ray``).

One Ray Serve application per engine family (``consentgate-image``, ``…-speech``,
``…-voice_clone``, ``…-music``, ``…-video``), each replica holding its family's models on its
device (``engines.pool.EngineReplica``). The gateway keeps deciding, signing and recording:
a ``PooledEngine`` stands where the in-process engine stood, estimates locally, and sends the
replica a sealed plain request (``engines.pool.seal``) — no token, principal or consent record.

The gateway joins the cluster at ``CONSENTGATE_RAY_ADDRESS`` (deployed there by ``consentgate
engines serve``), or starts a local one and deploys into it when no address is set. It connects
in the background: while it is not connected a generation is refused at once with 503
``engine_unavailable`` (audited like any refusal), and it keeps trying, so the gateway recovers
when the cluster returns. A replica that dies mid-request is retried once (another replica, or
the one Serve restarts); the request then fails with 503 ``engine_failed``. A retry is inside
the engine step: the consent use was counted once and one entry is written either way. A job's
progress streams from its replica (a streaming handle), and a cancel reaches it.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import threading
from typing import TYPE_CHECKING, Any

from engines import (
    CancelFlag,
    Cost,
    Engine,
    EngineFailed,
    EngineKind,
    EngineOutput,
    EngineUnavailable,
    GenerationCancelled,
    ProgressCallback,
)
from engines.errors import EngineError, ModelUnknown
from engines.pool import KEY_BYTES, EngineReplica, ReplicaConfig, output_from, seal
from engines.tracing import carrier

if TYPE_CHECKING:
    from gateway.settings import Settings

_log = logging.getLogger(__name__)

APP_PREFIX = "consentgate-"
NAMESPACE = "consentgate"
RECONNECT_S = 5.0  # between attempts to reach the cluster
_POLL_S = 0.1  # how often a waiting request looks at its cancel flag
KEY_FILE = "keys/engine-pool.key"


def pool_key(settings: Settings) -> bytes:
    """The AES-GCM key sealing requests for the replicas: ``CONSENTGATE_ENGINE_POOL_KEY``
    (base64 of 32 bytes, the same on the gateways and the engine hosts), else a key file in the
    data dir made once (mode 0600) — enough when the gateway starts the cluster itself.

    Raises:
        ValueError: the configured key is not base64 of 32 bytes.
    """
    if settings.engine_pool_key:
        try:
            key = base64.b64decode(settings.engine_pool_key, validate=True)
        except binascii.Error as exc:
            raise ValueError("CONSENTGATE_ENGINE_POOL_KEY is not base64") from exc
        if len(key) != KEY_BYTES:
            raise ValueError(f"CONSENTGATE_ENGINE_POOL_KEY must hold {KEY_BYTES} bytes")
        return key
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(os.urandom(KEY_BYTES))
    return path.read_bytes()


def replica_configs(settings: Settings) -> dict[EngineKind, ReplicaConfig]:
    """Each family's replica: its models from the gateway's own configuration, and where its
    host keeps the pool key (a path: the key is never a deployment argument, which Ray keeps
    in clear in its control-plane store)."""
    models = {
        EngineKind.IMAGE: settings.resolved_image_models,
        EngineKind.SPEECH: {},
        EngineKind.VOICE_CLONE: settings.resolved_voice_clone_models,
        EngineKind.MUSIC: settings.resolved_music_models,
        EngineKind.VIDEO: settings.resolved_video_models,
    }
    return {
        kind: ReplicaConfig(
            family=str(kind),
            models=dict(models[kind]),
            device=settings.device,
            hub_downloads=settings.resolved_hub_downloads,
            image_batch_max=settings.image_batch_max,
            image_batch_wait_s=settings.image_batch_wait_ms / 1000,
            key_file=None if settings.engine_pool_key else str(settings.data_dir / KEY_FILE),
            otlp_endpoint=settings.otlp_traces_endpoint,
        )
        for kind in EngineKind
    }


def deploy(settings: Settings, families: list[EngineKind] | None = None) -> None:
    """Start (or update) the deployments on the connected cluster; returns once they answer.
    Replicas read the pool key on their hosts (``engines.pool.host_key``)."""
    from ray import serve

    serve.start(http_options={"location": "NoServer"})  # handles only: no HTTP ingress
    for kind, config in replica_configs(settings).items():
        if families is not None and kind not in families:
            continue
        low, high = settings.ray_replicas.get(str(kind), (1, 1))
        deployment = serve.deployment(
            EngineReplica,
            name=f"{kind}-engine",
            ray_actor_options={
                "num_cpus": settings.ray_num_cpus,
                "num_gpus": settings.ray_num_gpus,
            },
            max_ongoing_requests=max(8, settings.image_batch_max * 2),
            autoscaling_config={
                "min_replicas": low,
                "initial_replicas": low,
                "max_replicas": max(low, high),
            },
        )
        application = deployment.bind(config)  # type: ignore[attr-defined]
        serve.run(application, name=f"{APP_PREFIX}{kind}", route_prefix=None)


class EnginePool:
    """The gateway's connection to the cluster, made and remade in the background."""

    def __init__(self, settings: Settings, key: bytes) -> None:
        self._settings = settings
        self._key = key
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    @property
    def key(self) -> bytes:
        return self._key

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._keep_connected, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def wait_connected(self, timeout_s: float) -> bool:
        return self._connected.wait(timeout_s)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def _keep_connected(self) -> None:
        while not self._stopping.is_set():
            if not self._connected.is_set():
                try:
                    self._connect()
                    self._connected.set()
                    self.last_error = None
                except Exception as exc:  # any failure to reach Ray: try again later
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    _log.warning("engine pool not reachable: %s", self.last_error)
            self._stopping.wait(RECONNECT_S)

    def _connect(self) -> None:
        import ray

        address = self._settings.ray_address
        if not ray.is_initialized():
            ray.init(
                address=address,
                namespace=NAMESPACE,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
            )
        if not address:
            deploy(self._settings)  # our own local cluster: we deploy into it
        from ray import serve

        deployed = serve.status().applications
        for kind in EngineKind:  # every deployed family answers before requests are sent
            if f"{APP_PREFIX}{kind}" in deployed:
                self.handle(kind, check=False).ready.remote().result(
                    timeout_s=self._settings.ray_connect_timeout_s
                )

    def lost(self, error: BaseException) -> None:
        """The cluster stopped answering: refuse at once until reconnected."""
        self.last_error = f"{type(error).__name__}: {error}"
        self._connected.clear()

    def handle(self, kind: EngineKind, check: bool = True) -> Any:
        """A Serve handle to ``kind``'s deployment.

        Raises:
            EngineUnavailable: the pool is not connected (answered at once, not after a wait),
                or the family is not deployed there.
        """
        if check and not self._connected.is_set():
            raise EngineUnavailable(f"the engine pool is not reachable ({self.last_error})")
        from ray import serve
        from ray.serve.exceptions import RayServeException

        try:
            return serve.get_app_handle(f"{APP_PREFIX}{kind}")
        except RayServeException as exc:  # this family is not deployed on the cluster
            raise EngineUnavailable(f"no {kind} engines are deployed on the pool") from exc


def _engine_raised(error: BaseException) -> bool:
    """The request ran on a replica and its engine raised (not an engine refusal)."""
    from ray import exceptions as ray_errors

    return isinstance(error, ray_errors.RayTaskError)


def _replica_lost(error: BaseException) -> bool:
    """A replica died or vanished under the request (as opposed to the engine refusing)."""
    from ray import exceptions as ray_errors

    lost = (
        ray_errors.RayActorError,
        ray_errors.ActorUnavailableError,
        ray_errors.WorkerCrashedError,
    )
    return isinstance(error, lost)


class PooledEngine(Engine):
    """An engine whose generations run on the pool; estimates and model lists stay local."""

    def __init__(self, local: Engine, pool: EnginePool) -> None:
        self._local = local
        self._pool = pool
        self.kind = local.kind  # type: ignore[misc]  # per instance: it stands for any family

    def model_ids(self) -> list[str]:
        return self._local.model_ids()

    def estimate(self, request: Any) -> Cost:
        return self._local.estimate(request)

    def generate(
        self,
        request: Any,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """Run ``request`` on a replica; retried once if the replica dies.

        Raises:
            ModelUnknown, EngineUnavailable (no cluster), EngineFailed (a replica died twice),
            GenerationCancelled, and whatever the engine raised on the replica.
        """
        model = getattr(request, "model", None)
        if model is not None and model not in self.model_ids():
            raise ModelUnknown(f"{self.kind} model {model!r} is not configured")
        for attempt in (1, 2):
            # Sealed afresh each attempt (replicas refuse replays), with the engine span's
            # trace context so the replica's span joins this request's trace.
            sealed = seal(request, str(self.kind), self._pool.key, trace=carrier())
            handle = self._pool.handle(self.kind).options(stream=True)
            stream = handle.generate.remote(sealed)
            try:
                fields = self._follow(stream, progress, cancel)
            except EngineError:
                raise
            except Exception as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, EngineError):
                    raise cause from None  # the engine's own refusal, as in-process
                if _engine_raised(exc):  # the replica is fine; its engine failed
                    raise EngineFailed(f"the {self.kind} engine failed: {cause!r}") from exc
                if not _replica_lost(exc):  # the cluster itself: refuse at once until back
                    self._pool.lost(exc)
                    raise EngineUnavailable(f"the engine pool failed: {exc}") from exc
                _log.warning("engine replica lost (attempt %d): %s", attempt, exc)
                continue
            return output_from(fields)
        raise EngineFailed(f"the {self.kind} replica was lost twice; not retried again")

    def _follow(
        self, stream: Any, progress: ProgressCallback | None, cancel: CancelFlag | None
    ) -> dict[str, Any]:
        """The replica's progress events, passed on, and then its output. A cancel reaches the
        replica (``stream.cancel()``), which stops the engine between steps."""
        from ray.serve.exceptions import RequestCancelledError

        watching = threading.Event()

        def watch() -> None:
            while not watching.wait(_POLL_S):
                if cancel is not None and cancel.cancelled:
                    stream.cancel()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            for event in stream:
                if "output" in event:
                    return dict(event["output"])
                if progress is not None:
                    step, total = event["progress"]
                    progress(int(step), int(total))
        except RequestCancelledError:
            raise GenerationCancelled("cancelled; the replica was told to stop") from None
        finally:
            watching.set()
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("cancelled; the replica was told to stop")
        raise EngineFailed(f"the {self.kind} replica ended its stream without an output")


def pooled(local: Engine, pool: EnginePool | None) -> Engine:
    """``local`` itself in-process, or its stand-in on the pool."""
    return local if pool is None else PooledEngine(local, pool)
