"""The engine pool on Ray Serve (CPU, tiny models): the gateway decides, signs and records;
replicas get sealed plain requests and return bytes; a lost replica is retried or fails with a
code, audited; no cluster answers 503 at once.

Ray is started once for the whole run (one shared fixture, replicas with a quarter CPU each) and
shut down at the end; these tests skip where Ray is not installed.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import audit
from engines import EngineKind, ImageEngine, ImageRequest, ModelLoader
from engines.pool import KEY_ENV, SealBroken, SealLedger, seal, unseal
from gateway.app import create_app
from gateway.engine_pool import APP_PREFIX, deploy
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer
from tests.otlp import TraceCollector
from watermark import read_manifest

ray = pytest.importorskip("ray", reason="the engine pool needs Ray (pip install ray[serve])")

POOL_KEY = bytes(range(32))
FAMILIES = [EngineKind.IMAGE, EngineKind.SPEECH, EngineKind.MUSIC]
IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "seed": 3}


@pytest.fixture(scope="session")
def pool_collector() -> Iterator[TraceCollector]:
    """Where the replicas export their spans (an OTLP/HTTP receiver on loopback)."""
    collector = TraceCollector().start()
    yield collector
    collector.stop()


@pytest.fixture(scope="session")
def ray_cluster(
    tmp_path_factory: pytest.TempPathFactory, pool_collector: TraceCollector
) -> Iterator[str]:
    """A local Ray with the tiny image, speech and music engines deployed once. The pool key is
    in the environment the cluster starts with, as on an engine host: replicas read it there."""
    previous = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = base64.b64encode(POOL_KEY).decode()
    context = ray.init(
        num_cpus=4,  # a resource count: replicas ask for a quarter each
        include_dashboard=False,
        log_to_driver=False,
        namespace="consentgate",
    )
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("pool"),
        ray_num_cpus=0.25,
        image_batch_max=4,
        image_batch_wait_ms=20,
        otlp_traces_endpoint=pool_collector.endpoint,
    )
    deploy(settings, families=FAMILIES)
    yield context.address_info["gcs_address"]
    from ray import serve

    serve.shutdown()
    ray.shutdown()
    if previous is None:
        os.environ.pop(KEY_ENV, None)
    else:
        os.environ[KEY_ENV] = previous


@pytest.fixture
def pooled_services(settings: Settings, ray_cluster: str, model_loader: ModelLoader) -> Services:
    pooled = settings.model_copy(
        update={
            "engine_backend": "ray",
            "ray_address": ray_cluster,
            "engine_pool_key": base64.b64encode(POOL_KEY).decode(),
        }
    )
    services = build_services(pooled, loader=model_loader)
    assert services.engine_pool is not None
    assert services.engine_pool.wait_connected(120), services.engine_pool.last_error
    return services


def test_a_mixed_load_runs_on_the_pool_and_every_output_is_signed_and_recorded(
    pooled_services: Services, idp: IdentityProvider
) -> None:
    services = pooled_services
    headers = bearer(idp.token("alice"))
    requests = [("/v1/images", {**IMAGE, "seed": seed}) for seed in range(4)]
    requests += [("/v1/speech", {"text": "Welcome.", "language": "en", "purpose": "internal"})]
    requests += [
        ("/v1/music?mode=sync", {"prompt": "a calm piano", "duration_s": 1, "purpose": "internal"})
    ]
    with TestClient(create_app(services=services)) as client, ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda r: client.post(r[0], json=r[1], headers=headers), requests))
        assert [a.status_code for a in answers] == [201] * len(requests), [a.text for a in answers]
        for answer in answers:
            body = answer.json()
            fetched = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=headers)
            report = read_manifest(
                fetched.content, body["mime_type"], services.signer.trust_anchors_pem
            )
            assert report.validation_state == "Trusted"
    generated = list(audit.export(services.db, audit.AuditFilter(action="generate")))
    assert len(generated) == len(requests) and all(e.code == "ok" for e in generated)
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems


def test_a_pooled_image_is_the_in_process_image(
    pooled_services: Services, model_loader: ModelLoader
) -> None:
    request = ImageRequest("consentgate/tiny-sd", "a lighthouse", None, 64, 64, 2, 0.0, 11)
    pooled = pooled_services.image_engine.generate(request)
    local = ImageEngine({"consentgate/tiny-sd": "tiny:0"}, model_loader).generate(request)
    assert pooled.data == local.data
    assert pooled.engine == EngineKind.IMAGE and pooled.mime_type == "image/png"


def test_a_request_s_trace_runs_through_the_replica_and_back(
    pooled_services: Services,
    idp: IdentityProvider,
    pool_collector: TraceCollector,
    model_loader: ModelLoader,
) -> None:
    """The replica's span joins the gateway's trace under its engine span (the context rides
    in the seal); the gateway's spans go to the same collector."""
    traced = pooled_services.settings.model_copy(
        update={"otlp_traces_endpoint": pool_collector.endpoint}
    )
    services = build_services(traced, loader=model_loader)
    assert services.engine_pool is not None and services.engine_pool.wait_connected(120)
    with TestClient(create_app(services=services)) as client:
        answer = client.post(
            "/v1/images", json={**IMAGE, "seed": 77}, headers=bearer(idp.token("alice"))
        )
    assert answer.status_code == 201, answer.text
    server = pool_collector.wait_for(
        "POST /v1/images", **{"consentgate.request_id": answer.headers["X-Request-Id"]}
    )
    engine = next(
        s for s in pool_collector.trace(server.trace_id) if s.name == "consentgate.engine"
    )
    deadline = time.monotonic() + 30
    while not (
        replica := [
            s for s in pool_collector.trace(server.trace_id) if s.name.startswith("consentgate.rep")
        ]
    ):
        assert time.monotonic() < deadline, "the replica's span never arrived"
        time.sleep(0.1)
    assert replica[0].service == "consentgate-engine-image"
    assert replica[0].parent_id == engine.span_id
    assert replica[0].attributes["family"] == "image"


def test_a_family_not_deployed_is_unavailable_and_audited(
    pooled_services: Services, idp: IdentityProvider
) -> None:
    with TestClient(create_app(services=pooled_services)) as client:
        answer = client.post(
            "/v1/videos?mode=sync",
            json={"prompt": "waves", "purpose": "internal", "frames": 8},
            headers=bearer(idp.token("alice")),
        )
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "engine_unavailable"
    entries = list(audit.export(pooled_services.db, audit.AuditFilter(engine="video")))
    assert [(e.decision, e.code) for e in entries] == [("error", "engine_unavailable")]


def test_a_lost_replica_is_retried_or_fails_with_a_code_and_is_recorded_once(
    pooled_services: Services, idp: IdentityProvider
) -> None:
    services = pooled_services
    headers = bearer(idp.token("alice"))
    slow = {**IMAGE, "steps": 40, "width": 128, "height": 128}
    with TestClient(create_app(services=services)) as client, ThreadPoolExecutor(1) as pool:
        pending = pool.submit(client.post, "/v1/images", json=slow, headers=headers)
        time.sleep(1.5)  # the request is on the replica
        _kill_replicas("image")
        answer = pending.result(timeout=300)
    assert answer.status_code in (201, 503), answer.text
    request_id = answer.headers["x-request-id"]
    entries = list(audit.export(services.db, audit.AuditFilter(request_id=request_id)))
    assert len(entries) == 1
    expected = "ok" if answer.status_code == 201 else answer.json()["code"]
    assert entries[0].code == expected
    assert expected in ("ok", "engine_failed", "engine_unavailable")


def _kill_replicas(family: str) -> None:
    names = ray.util.list_named_actors(all_namespaces=True)
    replicas = [
        n for n in names if "SERVE_REPLICA" in n["name"] and f"{APP_PREFIX}{family}" in n["name"]
    ]
    assert replicas, names
    for replica in replicas:
        ray.kill(ray.get_actor(replica["name"], namespace=replica["namespace"]), no_restart=False)


def test_a_seal_opens_only_with_its_key_and_family() -> None:
    request = ImageRequest("m", "secret prompt", None, 64, 64, 1, 0.0, 1)
    sealed = seal(request, "image", POOL_KEY)
    assert b"secret prompt" not in sealed
    assert unseal(sealed, "image", POOL_KEY).request == request
    for family, key, blob in (
        ("image", bytes(32), sealed),
        ("speech", POOL_KEY, sealed),
        ("image", POOL_KEY, sealed[:-1] + bytes([sealed[-1] ^ 1])),
        ("image", POOL_KEY, sealed[:5]),
    ):
        with pytest.raises(SealBroken):
            unseal(blob, family, key)


def test_no_cluster_answers_503_at_once_and_is_audited(tmp_path: Path) -> None:
    """In a process of its own (this one holds the test cluster): a gateway whose cluster is
    not there refuses at once instead of waiting on Ray."""
    script = f"""
import base64, time, sys
from pathlib import Path
from fastapi.testclient import TestClient
import audit
from gateway.app import create_app
from gateway.settings import Settings
settings = Settings(data_dir=Path({str(tmp_path)!r}), engine_backend="ray",
                    ray_address="127.0.0.1:1", engine_pool_key=base64.b64encode(bytes(32)).decode())
app = create_app(settings)
services = app.state.services
token = services.dev_identity.mint("alice", ["employee"], ttl_s=600)
with TestClient(app) as client:
    started = time.monotonic()
    answer = client.post("/v1/images", json={{"prompt": "x", "purpose": "internal"}},
                         headers={{"Authorization": f"Bearer {{token}}"}})
    took = time.monotonic() - started
entries = list(audit.export(services.db, audit.AuditFilter(action="generate")))
print(answer.status_code, answer.json()["code"], round(took, 2), [e.code for e in entries])
sys.stdout.flush()
import os; os._exit(0)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "RAY_ADDRESS": ""},
        cwd=Path(__file__).resolve().parents[2],
    )
    status, code, took, codes = result.stdout.strip().splitlines()[-1].split(" ", 3)
    assert (status, code) == ("503", "engine_unavailable"), result.stderr[-2000:]
    assert float(took) < 2.0
    assert codes == "['engine_unavailable']"


def test_an_engine_that_raises_on_a_replica_is_engine_failed_and_the_pool_stays(
    pooled_services: Services,
) -> None:
    """A bug in an engine is not a lost cluster: later requests still run."""
    from engines import EngineFailed

    broken = ImageRequest("consentgate/tiny-sd", "x", None, 64, 64, 1, 0.0, 1, format="bmp")
    with pytest.raises(EngineFailed):
        pooled_services.image_engine.generate(broken)
    assert pooled_services.engine_pool is not None and pooled_services.engine_pool.connected
    fine = ImageRequest("consentgate/tiny-sd", "x", None, 64, 64, 1, 0.0, 1)
    assert pooled_services.image_engine.generate(fine).mime_type == "image/png"


def test_a_pooled_job_streams_its_progress_and_a_cancel_reaches_the_replica(
    pooled_services: Services, idp: IdentityProvider
) -> None:
    """Progress comes from the replica step by step (a streaming handle); a cancel stops the
    engine there, and the job ends cancelled, recorded once."""
    services = pooled_services
    token = bearer(idp.token("alice"))
    slow = {**IMAGE, "steps": 50, "width": 256, "height": 256}
    with TestClient(create_app(services=services)) as client:
        job = client.post("/v1/images?mode=async", json=slow, headers=token).json()
        deadline = time.monotonic() + 120
        seen_steps: set[int] = set()
        while True:
            state = client.get(f"/v1/jobs/{job['job_id']}", headers=token).json()
            seen_steps.add(state["progress"]["step"])
            if state["progress"]["step"] >= 2:
                break
            assert state["state"] in ("queued", "running") and time.monotonic() < deadline
            time.sleep(0.02)
        assert client.delete(f"/v1/jobs/{job['job_id']}", headers=token).status_code == 200
        while (ended := client.get(f"/v1/jobs/{job['job_id']}", headers=token).json())[
            "state"
        ] not in ("cancelled", "succeeded", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert ended["state"] == "cancelled", ended
    assert 0 < ended["progress"]["step"] < 50 and ended["progress"]["total"] == 50
    entries = list(audit.export(services.db, audit.AuditFilter(job_id=job["job_id"])))
    assert [e.code for e in entries if e.action == "generate"][-1] == "generation_cancelled"


def test_two_gateway_processes_share_the_pool_and_keep_one_chain(
    ray_cluster: str, tmp_path: Path
) -> None:
    """Two `consentgate serve` processes on one database and one Ray cluster: every output
    signed, every decision in one chain that verifies."""
    import signal

    import httpx

    from tests.e2e.conftest import BIN, _free_port

    data_dir = tmp_path / "data"
    first = create_app(Settings(data_dir=data_dir))  # the database, keys and dev identity
    token = first.state.services.dev_identity.mint("alice", ["employee"], ttl_s=600)
    headers = {"Authorization": f"Bearer {token}"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSENTGATE_")}
    env |= {
        "CONSENTGATE_DATA_DIR": str(data_dir),
        "CONSENTGATE_ENGINE_BACKEND": "ray",
        "CONSENTGATE_RAY_ADDRESS": ray_cluster,
        "CONSENTGATE_ENGINE_POOL_KEY": base64.b64encode(POOL_KEY).decode(),
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [str(BIN / "consentgate"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:  # each has joined the pool once an image comes back
            deadline = time.monotonic() + 180
            while True:
                try:
                    answer = httpx.post(f"{url}/v1/images", json=IMAGE, headers=headers, timeout=60)
                    if answer.status_code == 201:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "a gateway never served through the pool"
                time.sleep(1)
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(
                    lambda n: httpx.post(
                        f"{urls[n % 2]}/v1/images",
                        json={**IMAGE, "seed": 100 + n},
                        headers=headers,
                        timeout=120,
                    ),
                    range(8),
                )
            )
        assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.wait(timeout=60)
    services = first.state.services
    made = [
        e
        for e in audit.export(services.db, audit.AuditFilter(action="generate", code="ok"))
        if e.engine == "image"
    ]
    assert len(made) >= 10 and len({e.output_sha256 for e in made}) == len(made)
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems


def test_a_replica_refuses_a_replayed_or_stale_seal() -> None:
    """A sealed request captured on its way cannot be run again (found by the attack: a
    replayed clone request was answered three times of three)."""
    ledger = SealLedger(ttl_s=600)
    now = 1_000_000.0
    opened = unseal(seal("r", "image", POOL_KEY, now=now), "image", POOL_KEY)
    ledger.admit(opened.seal_id, opened.sealed_at, now=now + 1)
    with pytest.raises(SealBroken, match="replayed"):
        ledger.admit(opened.seal_id, opened.sealed_at, now=now + 2)
    for sealed_at_then in (now - 601, now + 601):  # stale, or from a clock far ahead
        with pytest.raises(SealBroken, match="stale"):
            ledger.admit(b"another id", sealed_at_then, now=now)
    ledger.admit(b"fresh", now + 650, now=now + 700)  # a later seal is admitted


def test_the_pool_key_is_nowhere_in_rays_control_plane(pooled_services: Services) -> None:
    """Ray keeps deployment arguments in clear in its key-value store, readable by any client:
    the key was there (found by the attack); replicas now read it on their host."""
    from ray.experimental import internal_kv

    for namespace in (None, "serve"):
        for name in internal_kv._internal_kv_list(b"", namespace=namespace):
            value = internal_kv._internal_kv_get(name, namespace=namespace) or b""
            assert POOL_KEY not in value, (namespace, name)
            assert base64.b64encode(POOL_KEY) not in value, (namespace, name)
