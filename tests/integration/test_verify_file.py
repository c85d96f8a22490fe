"""Did this file come from us? POST /v1/verify and `consentgate artifact inspect` on real
gateway outputs (tiny image and speech engines, real C2PA signing), copies stripped of their
manifest, files signed by other keys, tampered and damaged files, plain photos and junk."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import c2pa as c2pa_sdk
import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fastapi.testclient import TestClient
from PIL import Image

from audit import verify_log
from engines import ModelLoader
from gateway import cli
from gateway.app import create_app
from gateway.edge import VERIFY_MAX_BYTES
from gateway.file_check import MAX_VERIFY_BYTES
from gateway.services import Services, build_services
from gateway.settings import Settings, get_settings
from tests.factories import IdentityProvider, bearer, sample_media
from watermark import (
    GenerationManifest,
    ManifestSigner,
    PemKey,
    SigningCredentials,
    ensure_dev_credentials,
)
from watermark.credentials import _key_usage  # the gateway's own usages

IMAGE = {"prompt": "a lighthouse at dusk", "purpose": "internal", "seed": 7}
SPEECH = {"text": "Good morning.", "language": "en", "purpose": "internal"}
OFFICER = ["compliance_officer"]


# -- helpers ---------------------------------------------------------------------------------


def _generate_image(client: TestClient, idp: IdentityProvider, subject: str) -> dict[str, Any]:
    token = bearer(idp.token(subject))
    body = client.post("/v1/images", json=IMAGE, headers=token).json()
    data = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content
    return {**body, "data": data}


def _verify(
    client: TestClient,
    idp: IdentityProvider,
    data: bytes,
    subject: str = "alice",
    roles: list[str] | None = None,
    name: str = "file.png",
    content_type: str = "image/png",
) -> Any:
    return client.post(
        "/v1/verify",
        files={"file": (name, data, content_type)},
        headers=bearer(idp.token(subject, roles)),
    )


def _verify_entry(services: Services, request_id: str) -> Any:
    """The one entry the verify request left."""
    head, _ = services.audit.head()
    entries = [services.audit.get(seq) for seq in range(1, head + 1)]
    mine = [e for e in entries if e is not None and e.request_id == request_id]
    assert len(mine) == 1, mine
    return mine[0]


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, data in chunks:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        out.append(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc))
    return b"".join(out)


def _repaint(signed_png: bytes) -> bytes:
    """The signed PNG with its pixels changed and everything else (the manifest) kept."""
    image = Image.open(io.BytesIO(signed_png))
    pixels = np.array(image)
    pixels[:8, :8] = 255 - pixels[:8, :8]
    buffer = io.BytesIO()
    Image.fromarray(pixels, image.mode).save(buffer, "PNG")
    new_idat = b"".join(d for k, d in _chunks(buffer.getvalue()) if k == b"IDAT")
    kept: list[tuple[bytes, bytes]] = []
    for kind, data in _chunks(signed_png):
        if kind == b"IDAT":
            if not any(k == b"IDAT" for k, _ in kept):
                kept.append((b"IDAT", new_idat))
            continue
        kept.append((kind, data))
    return _png(kept)


def _strip(signed_png: bytes) -> bytes:
    """The same pixels without the manifest (what a re-save or a 'remove metadata' does)."""
    return _png([(k, d) for k, d in _chunks(signed_png) if k != b"caBX"])


def _photo(format_name: str) -> bytes:
    """A photo-like image (a gradient with noise), never signed."""
    rng = np.random.default_rng(3)
    ramp = np.linspace(0, 255, 96, dtype=np.float32)
    pixels = np.stack([np.add.outer(ramp[:64], ramp) / 2] * 3, axis=-1)
    pixels = np.clip(pixels + rng.normal(0, 12, pixels.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format_name)
    return buffer.getvalue()


def _credentials(
    organisation: str, serial: int | None = None, common_name: str | None = None
) -> SigningCredentials:
    """A CA and a signer issued by it, the way watermark/credentials.py makes them, optionally
    with a chosen serial number and name (a look-alike of another signer)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} CA"),
        ]
    )

    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name or f"{organisation} signer"),
        ]
    )
    signer = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca.public_bytes(pem).decode()
    return SigningCredentials(
        chain_pem=signer.public_bytes(pem).decode() + ca_pem,
        key=PemKey(key),
        trust_anchors_pem=ca_pem,
    )


def _signed_elsewhere(credentials: SigningCredentials, claims_seq: int, artifact_id: str) -> bytes:
    """A PNG signed with other credentials whose assertion claims one of our entries."""
    manifest = GenerationManifest(
        title="forged.png",
        engine="image",
        model_id="consentgate/tiny-sd",
        request_id="forged",
        audit_seq=claims_seq,
        purpose="internal",
        licence="Apache-2.0",
        software_version="0.1.0",
        extra={"artifact_id": artifact_id},
    )
    return ManifestSigner(credentials).sign(_photo("PNG"), "image/png", manifest).data


# -- a gateway output ------------------------------------------------------------------------


def test_a_gateway_output_is_valid_ours_and_shows_its_entry_to_its_requester(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")

    response = _verify(client, idp, output["data"], "alice")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "valid"
    assert body["has_manifest"] is True
    assert body["signed_by_us"] is True
    assert body["media_type"] == "image/png"
    assert body["sha256"] == output["sha256"]
    assert body["manifest_label"] == output["manifest_label"]
    assert body["validation_state"] == "Trusted"
    assert body["failures"] == []
    assert body["signer"]["common_name"] == "Acme Test Org consentgate C2PA signer"
    assert body["assertion"]["audit_seq"] == output["audit_seq"]
    assert body["assertion"]["artifact_id"] == output["artifact_id"]
    record = body["record"]
    assert record["status"] == "shown"
    assert record["same_bytes"] is True
    entry = record["audit_entry"]
    assert entry["seq"] == output["audit_seq"]
    assert entry["subject"] == "alice"
    assert entry["action"] == "generate"
    assert entry["output_sha256"] == output["sha256"]
    assert entry["prompt"] is None  # the prompt stays with GET /v1/audit
    assert record["artifact"]["artifact_id"] == output["artifact_id"]
    assert record["artifact"]["owner"] == "alice"
    assert record["artifact"]["url"] == f"/v1/artifacts/{output['artifact_id']}"

    audited = _verify_entry(services, response.headers["X-Request-Id"])
    assert (audited.action, audited.decision, audited.code) == ("verify", "allow", "ok")
    assert audited.subject == "alice"
    assert audited.details["state"] == "valid"
    assert audited.details["signed_by_us"] is True
    assert audited.details["record"] == "shown"
    assert audited.details["shown_seq"] == output["audit_seq"]
    assert audited.details["sha256"] == output["sha256"]


def test_an_officer_sees_the_entry_and_another_employee_does_not(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")

    officer = _verify(client, idp, output["data"], "olivia", OFFICER).json()
    admin = _verify(client, idp, output["data"], "adam", ["admin"]).json()
    other = _verify(client, idp, output["data"], "bob")

    assert officer["record"]["status"] == "shown"
    assert officer["record"]["audit_entry"]["subject"] == "alice"
    assert admin["record"]["status"] == "shown"
    assert other.status_code == 200
    body = other.json()
    assert (body["state"], body["signed_by_us"]) == ("valid", True)
    assert body["record"] == {
        "status": "withheld",
        "audit_entry": None,
        "artifact": None,
        "same_bytes": None,
    }
    assert "alice" not in other.text  # neither the entry nor the artifact's owner leaks
    audited = _verify_entry(services, other.headers["X-Request-Id"])
    assert audited.details["record"] == "withheld"
    assert "shown_seq" not in audited.details


def test_every_shipped_role_may_verify(client: TestClient, idp: IdentityProvider) -> None:
    photo = _photo("PNG")
    for role in ("employee", "voice_user", "compliance_officer", "admin", "service"):
        response = _verify(client, idp, photo, f"someone-{role}", [role])
        assert response.status_code == 200, (role, response.text)


def test_a_speech_output_is_valid_and_ours(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    body = client.post("/v1/speech", json=SPEECH, headers=token).json()
    wav = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content

    response = _verify(client, idp, wav, "alice", name="a.wav", content_type="audio/wav")

    checked = response.json()
    assert (checked["state"], checked["signed_by_us"]) == ("valid", True)
    assert checked["media_type"] == "audio/wav"
    assert checked["record"]["audit_entry"]["engine"] == "speech"


# -- copies that are not the output ----------------------------------------------------------


def test_a_stripped_copy_has_no_manifest(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")
    stripped = _strip(output["data"])
    resaved = io.BytesIO()
    Image.open(io.BytesIO(output["data"])).save(resaved, "PNG")

    for copy in (stripped, resaved.getvalue()):
        response = _verify(client, idp, copy, "alice")
        assert response.status_code == 200
        body = response.json()
        assert body["state"] == "no_manifest"
        assert (body["has_manifest"], body["signed_by_us"]) == (False, False)
        assert body["assertion"] is None
        assert body["record"]["status"] == "not_ours"
        audited = _verify_entry(services, response.headers["X-Request-Id"])
        assert audited.details["state"] == "no_manifest"


def test_pixels_changed_after_signing_make_it_invalid_and_unlinked(
    client: TestClient, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")
    tampered = _repaint(output["data"])
    assert Image.open(io.BytesIO(tampered)).size == (64, 64)  # still a good PNG

    body = _verify(client, idp, tampered, "alice").json()

    assert body["state"] == "invalid"
    assert body["has_manifest"] is True
    assert body["signed_by_us"] is False
    assert "assertion.dataHash.mismatch" in body["failures"]
    assert body["record"]["status"] == "not_ours"
    assert body["record"]["audit_entry"] is None


def test_a_truncated_output_is_a_damaged_manifest_not_an_error(
    client: TestClient, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")

    for cut in (len(output["data"]) // 2, len(output["data"]) - 20):
        response = _verify(client, idp, output["data"][:cut], "alice")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["state"] == "invalid"
        assert body["signed_by_us"] is False
        assert body["record"]["status"] == "not_ours"


def test_a_file_signed_by_another_key_is_untrusted_and_its_claim_links_nothing(
    client: TestClient, idp: IdentityProvider
) -> None:
    """Another organisation's file naming alice's entry and artifact must not reach them."""
    output = _generate_image(client, idp, "alice")
    forged = _signed_elsewhere(
        _credentials("Other Org"), output["audit_seq"], output["artifact_id"]
    )

    for subject, roles in (("alice", None), ("olivia", OFFICER), ("bob", None)):
        response = _verify(client, idp, forged, subject, roles)
        body = response.json()
        assert body["state"] == "untrusted"
        assert body["has_manifest"] is True
        assert body["signed_by_us"] is False
        assert body["failures"] == ["signingCredential.untrusted"]
        assert body["signer"]["issuer"] == "Other Org"
        assert body["assertion"]["audit_seq"] == output["audit_seq"]  # claimed, unproven
        assert body["record"] == {
            "status": "not_ours",
            "audit_entry": None,
            "artifact": None,
            "same_bytes": None,
        }


def test_a_self_signed_dev_key_of_another_gateway_is_untrusted(
    client: TestClient, idp: IdentityProvider, tmp_path: Path
) -> None:
    other = ensure_dev_credentials(tmp_path / "other-gateway", "Acme Test Org")  # same name
    forged = _signed_elsewhere(other, 1, "01J00000000000000000000000")

    body = _verify(client, idp, forged, "alice").json()

    assert (body["state"], body["signed_by_us"]) == ("untrusted", False)
    assert body["signer"]["common_name"] == "Acme Test Org consentgate C2PA signer"


# -- a look-alike trusted by the organisation, and another gateway with our key --------------


@pytest.fixture
def partner_org_client(
    tmp_path: Path, settings: Settings, model_loader: ModelLoader
) -> Iterator[tuple[TestClient, Services, SigningCredentials]]:
    """A gateway whose organisation trusts a partner's CA beside its own; the partner's CA
    issued a signer with our serial number and name."""
    ours = ensure_dev_credentials(tmp_path / "ours", settings.organisation)
    own_cert = x509.load_pem_x509_certificate(ours.chain_pem.encode())
    common_name = own_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    partner = _credentials(settings.organisation, own_cert.serial_number, str(common_name))
    anchors = tmp_path / "anchors.pem"
    anchors.write_text(ours.trust_anchors_pem + partner.trust_anchors_pem)
    configured = settings.model_copy(
        update={
            "c2pa_cert_file": tmp_path / "ours/signer.pem",
            "c2pa_key_file": tmp_path / "ours/signer.key",
            "c2pa_chain_file": tmp_path / "ours/ca.pem",
            "c2pa_trust_anchors_file": anchors,
        }
    )
    services = build_services(configured, loader=model_loader)
    with TestClient(create_app(services=services)) as test_client:
        yield test_client, services, partner


def test_a_look_alike_signer_from_another_trusted_ca_is_valid_but_not_ours(
    partner_org_client: tuple[TestClient, Services, SigningCredentials], idp: IdentityProvider
) -> None:
    client, _services, partner = partner_org_client
    output = _generate_image(client, idp, "alice")
    ours = _verify(client, idp, output["data"], "alice").json()
    look_alike = _signed_elsewhere(partner, output["audit_seq"], output["artifact_id"])

    body = _verify(client, idp, look_alike, "olivia", OFFICER).json()

    assert (ours["state"], ours["signed_by_us"]) == ("valid", True)
    assert body["state"] == "valid"  # the organisation trusts the partner's CA
    assert body["signer"]["serial_number"] == ours["signer"]["serial_number"]
    assert body["signer"]["common_name"] == ours["signer"]["common_name"]
    assert body["signed_by_us"] is False  # but its issuer is not the one that issued ours
    assert body["record"]["status"] == "not_ours"


def test_a_file_naming_a_seq_of_another_gateways_log_links_nothing(
    client: TestClient,
    settings: Settings,
    services: Services,
    idp: IdentityProvider,
    model_loader: ModelLoader,
    tmp_path: Path,
) -> None:
    """A second gateway with the same credentials but its own log: its output is ours by
    signature, but the entry at its seq here is another generation (other manifest label)."""
    mine = _generate_image(client, idp, "alice")
    dev = settings.data_dir / "c2pa"
    twin = settings.model_copy(
        update={
            "data_dir": tmp_path / "twin",
            "c2pa_cert_file": dev / "signer.pem",
            "c2pa_key_file": dev / "signer.key",
            "c2pa_chain_file": dev / "ca.pem",
            "c2pa_trust_anchors_file": dev / "ca.pem",
        }
    )
    with TestClient(create_app(services=build_services(twin, loader=model_loader))) as other:
        theirs = _generate_image(other, idp, "mallory")
    assert services.audit.get(theirs["audit_seq"]) is not None  # that seq exists here too

    body = _verify(client, idp, theirs["data"], "olivia", OFFICER).json()

    assert (body["state"], body["signed_by_us"]) == ("valid", True)
    assert body["assertion"]["audit_seq"] == theirs["audit_seq"]
    assert body["record"]["status"] == "not_found"
    assert body["record"]["audit_entry"] is None
    assert mine["manifest_label"] != theirs["manifest_label"]


def test_a_manifest_kept_at_a_url_is_never_fetched(
    client: TestClient, settings: Settings, idp: IdentityProvider
) -> None:
    """A file may name its manifest by URL: following it would let anyone make the gateway
    call a host of their choosing (here a loopback server that counts its requests)."""
    fetched: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetched.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/manifest.c2pa"
        credentials = ensure_dev_credentials(settings.data_dir / "c2pa", settings.organisation)
        builder = c2pa_sdk.Builder(
            GenerationManifest(
                "remote.png", "image", "m", "r", 1, "internal", "Apache-2.0", "0.1.0"
            ).to_manifest()
        )
        builder.set_no_embed()
        builder.set_remote_url(url)
        signer = c2pa_sdk.Signer.from_callback(
            credentials.key.sign_es256, c2pa_sdk.C2paSigningAlg.ES256, credentials.chain_pem, None
        )
        remote = io.BytesIO()
        builder.sign(signer, "image/png", io.BytesIO(_photo("PNG")), remote)
        assert url.encode() in remote.getvalue()

        response = _verify(client, idp, remote.getvalue(), "bob")
    finally:
        server.shutdown()
        server.server_close()

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["signed_by_us"]) == ("no_manifest", False)
    assert "never fetched" in body["explanation"]
    assert fetched == []


# -- files that were never ours, and junk ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (_photo("PNG"), "image/png"),
        (_photo("JPEG"), "image/jpeg"),
        (sample_media("audio/wav"), "audio/wav"),
        (sample_media("audio/flac"), "audio/flac"),
        (sample_media("video/mp4"), "video/mp4"),
    ],
    ids=["png", "jpeg", "wav", "flac", "mp4"],
)
def test_plain_media_has_no_manifest(
    client: TestClient, idp: IdentityProvider, data: bytes, media_type: str
) -> None:
    response = _verify(client, idp, data, "bob", content_type="application/octet-stream")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["media_type"]) == ("no_manifest", media_type)
    assert body["record"]["status"] == "not_ours"


def test_the_format_comes_from_the_bytes_not_the_declared_type(
    client: TestClient, idp: IdentityProvider
) -> None:
    output = _generate_image(client, idp, "alice")

    body = _verify(client, idp, output["data"], name="song.mp3", content_type="audio/mpeg")

    assert body.json()["media_type"] == "image/png"
    assert body.json()["state"] == "valid"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"hello, this is not a picture" * 10, "file_type_unsupported"),
        (b"%PDF-1.7\n" + b"0" * 200, "file_type_unsupported"),
        (b"", "file_type_unsupported"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "file_unreadable"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 300, "file_unreadable"),
        (b"RIFF\x24\x00\x00\x00WAVE" + b"\x01" * 64, "file_unreadable"),
    ],
    ids=["text", "pdf", "empty", "png-magic-junk", "jpeg-magic-junk", "wav-magic-junk"],
)
def test_junk_is_refused_415_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider, data: bytes, code: str
) -> None:
    response = _verify(client, idp, data, "bob", content_type="image/png")

    assert response.status_code == 415, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["status"], problem["code"]) == (415, code)
    audited = _verify_entry(services, response.headers["X-Request-Id"])
    assert (audited.action, audited.decision, audited.code) == ("verify", "deny", code)
    assert audited.subject == "bob"
    assert audited.details["size"] == len(data)


# -- bounds and malformed requests -----------------------------------------------------------


def test_a_body_over_the_edge_bound_is_refused_before_reading(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    response = client.post(
        "/v1/verify",
        files={"file": ("big.png", b"\x89PNG\r\n\x1a\n" + bytes(VERIFY_MAX_BYTES), "image/png")},
        headers=bearer(idp.token("bob")),
    )

    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    head, _ = services.audit.head()
    last = services.audit.get(head)
    assert last is not None
    assert (last.code, last.details["path"], last.subject) == (
        "body_too_large",
        "/v1/verify",
        "bob",
    )


def test_a_file_just_over_the_file_bound_is_refused_413(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(MAX_VERIFY_BYTES - 7)  # one byte over, under the edge's

    response = _verify(client, idp, data, "bob")

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    audited = _verify_entry(services, response.headers["X-Request-Id"])
    assert (audited.decision, audited.code) == ("deny", "file_too_large")


def test_malformed_multipart_is_refused_as_problem_json(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("bob"))
    cases = [
        # no boundary at all
        ({"Content-Type": "multipart/form-data"}, b"--x\r\n\r\n", 400),
        # a boundary the body never uses: no file part
        ({"Content-Type": "multipart/form-data; boundary=abc"}, b"garbage", 400),
        # three parts where one file is expected
        (
            {"Content-Type": "multipart/form-data; boundary=b"},
            b"".join(
                b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n'
                for _ in range(3)
            )
            + b"--b--\r\n",
            413,
        ),
        # JSON instead of a form
        ({"Content-Type": "application/json"}, b'{"file": "aGVsbG8="}', 422),
    ]
    codes = []
    for headers, body, status in cases:
        response = client.post("/v1/verify", content=body, headers={**token, **headers})
        assert response.status_code == status, (headers, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        codes.append(response.json()["code"])
    head, _ = services.audit.head()
    entries = [services.audit.get(seq) for seq in range(1, head + 1)]
    refused = [e.code for e in entries if e is not None and e.details.get("path") == "/v1/verify"]
    assert refused == codes  # each refusal recorded once, with the code the caller saw
    verified = verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert verified.ok


def test_no_token_is_refused_401(client: TestClient) -> None:
    response = client.post("/v1/verify", files={"file": ("a.png", _photo("PNG"), "image/png")})

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


# -- the offline command ---------------------------------------------------------------------


@pytest.fixture
def data_dir_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command reads its settings from the environment, as a shell would give them."""
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _inspect(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(["artifact", "inspect", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else None, captured.err


def test_artifact_inspect_offline_gives_the_same_answer(
    client: TestClient,
    idp: IdentityProvider,
    tmp_path: Path,
    data_dir_settings: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = _generate_image(client, idp, "alice")
    online = _verify(client, idp, output["data"], "bob").json()
    signed = tmp_path / "signed.png"
    signed.write_bytes(output["data"])
    stripped = tmp_path / "stripped.png"
    stripped.write_bytes(_strip(output["data"]))
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all")
    other = ensure_dev_credentials(tmp_path / "other", "Other Org")
    other_anchors = tmp_path / "other-ca.pem"
    other_anchors.write_text(other.trust_anchors_pem)

    code, body, _ = _inspect(capsys, str(signed))
    assert code == 0
    assert body["record"] == {
        "status": "offline",
        "audit_entry": None,
        "artifact": None,
        "same_bytes": None,
    }
    assert {**body, "record": None} == {**online, "record": None}

    code, body, _ = _inspect(capsys, str(stripped))
    assert (code, body["state"]) == (1, "no_manifest")

    code, body, _ = _inspect(capsys, str(signed), "--trust-anchors", str(other_anchors))
    assert (code, body["state"], body["signed_by_us"]) == (1, "untrusted", False)

    code, body, err = _inspect(capsys, str(junk))
    assert (code, body) == (2, None)
    assert "file_type_unsupported" in err

    code, body, err = _inspect(capsys, str(tmp_path / "missing.png"))
    assert (code, body) == (2, None)
    assert "cannot read" in err


def test_artifact_inspect_with_explicit_certificates_needs_no_data_dir(
    client: TestClient,
    settings: Settings,
    idp: IdentityProvider,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An auditor with the file, the CA and the signing certificate only."""
    output = _generate_image(client, idp, "alice")
    signed = tmp_path / "signed.png"
    signed.write_bytes(output["data"])
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(tmp_path / "empty"))
    get_settings.cache_clear()
    try:
        dev = settings.data_dir / "c2pa"
        code, body, _ = _inspect(
            capsys,
            str(signed),
            "--trust-anchors",
            str(dev / "ca.pem"),
            "--signer-cert",
            str(dev / "signer.pem"),
        )
        assert (code, body["state"], body["signed_by_us"]) == (0, "valid", True)
        # Without our certificate the file is still valid, but nothing is proven ours.
        code, body, err = _inspect(capsys, str(signed), "--trust-anchors", str(dev / "ca.pem"))
        assert (code, body["state"], body["signed_by_us"]) == (0, "valid", False)
        assert "no signing certificate" in err
        assert not (tmp_path / "empty" / "c2pa").exists()  # the command creates no keys
    finally:
        get_settings.cache_clear()
