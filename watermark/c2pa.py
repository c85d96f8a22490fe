"""Signed C2PA manifests: embed one in every output, and read one back with its validation.

The manifest says the asset was created by a trained algorithm (IPTC digital source type),
names consentgate, the engine and the model in ``softwareAgent``, and carries a consentgate
assertion binding the asset to its request, audit entry, licence and purpose.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import c2pa as c2pa_sdk

from watermark.credentials import SigningCredentials
from watermark.errors import ManifestInvalid, SigningFailed

_log = logging.getLogger(__name__)

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CONSENTGATE_ASSERTION = "org.consentgate.generation"
SUPPORTED_MIME_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/webp", "audio/wav", "audio/mpeg", "audio/flac", "video/mp4"}
)
# States a reader reports for a manifest whose signature and hashes check out; only
# "Trusted" also means the signer chains to the organisation's CA.
_ACCEPTED_STATES = frozenset({"Trusted"})


@dataclass(frozen=True)
class GenerationManifest:
    """What the manifest of one generated asset states."""

    title: str
    engine: str
    model_id: str
    request_id: str
    audit_seq: int
    purpose: str
    licence: str
    software_version: str
    extra: dict[str, Any] = field(default_factory=dict)

    def assertion_data(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "audit_seq": self.audit_seq,
            "engine": self.engine,
            "model": self.model_id,
            "licence": self.licence,
            "purpose": self.purpose,
            **self.extra,
        }

    def to_manifest(self) -> dict[str, Any]:
        agent = f"consentgate {self.software_version} / {self.engine} engine / {self.model_id}"
        return {
            "claim_generator_info": [{"name": "consentgate", "version": self.software_version}],
            "title": self.title,
            "assertions": [
                {
                    "label": "c2pa.actions",
                    "data": {
                        "actions": [
                            {
                                "action": "c2pa.created",
                                "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                                "softwareAgent": {"name": agent, "version": self.software_version},
                            }
                        ]
                    },
                },
                {"label": CONSENTGATE_ASSERTION, "data": self.assertion_data()},
            ],
        }


@dataclass(frozen=True)
class Ingredient:
    """An input the asset was made from (e.g. a melody), recorded in the manifest."""

    title: str
    mime_type: str
    data: bytes
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "relationship": "inputTo", "metadata": self.metadata}


@dataclass(frozen=True)
class SignedAsset:
    data: bytes
    manifest_label: str


@dataclass(frozen=True)
class ManifestReport:
    """A manifest read back from an asset, as a reader trusting the organisation's CA sees it."""

    label: str | None
    validation_state: str | None
    manifest: dict[str, Any] | None
    validation_results: dict[str, Any] | None

    @property
    def trusted(self) -> bool:
        return self.validation_state in _ACCEPTED_STATES

    def assertion(self, label: str) -> dict[str, Any] | None:
        for item in (self.manifest or {}).get("assertions", []):
            if item.get("label") == label:
                return item.get("data")
        return None


class ManifestSigner:
    """Signs manifests into assets with the organisation's credentials and checks the result."""

    def __init__(self, credentials: SigningCredentials, *, thumbnails: bool = False) -> None:
        self._credentials = credentials
        # Thumbnails are off by default: one made a 4 KB JPEG 180 KB.
        self._builder_settings = {"builder": {"thumbnail": {"enabled": thumbnails}}}
        # A c2pa Context parses its settings when made (0.2 ms); each thread keeps its own.
        self._contexts = threading.local()

    @property
    def trust_anchors_pem(self) -> str:
        return self._credentials.trust_anchors_pem

    @property
    def chain_pem(self) -> str:
        """The certificates this signer puts in every manifest, its own first."""
        return self._credentials.chain_pem

    def sign(
        self,
        data: bytes,
        mime_type: str,
        manifest: GenerationManifest,
        ingredients: tuple[Ingredient, ...] = (),
    ) -> SignedAsset:
        """Embed a signed manifest, then read it back and require it to validate as trusted.

        Raises:
            SigningFailed: the format is unsupported or c2pa could not sign.
            ManifestInvalid: the signed bytes do not read back as a trusted manifest.
        """
        if mime_type not in SUPPORTED_MIME_TYPES:
            raise SigningFailed(f"C2PA signing is not supported for {mime_type}")
        # A fresh label of our own: the read-back must find exactly this manifest active.
        label = f"urn:c2pa:{uuid.uuid4()}"
        destination = io.BytesIO()
        try:
            signer = c2pa_sdk.Signer.from_callback(
                self._credentials.key.sign_es256,
                c2pa_sdk.C2paSigningAlg.ES256,
                self._credentials.chain_pem,
                None,
            )
            builder = c2pa_sdk.Builder({**manifest.to_manifest(), "label": label}, self._context())
            for ingredient in ingredients:
                builder.add_ingredient(
                    ingredient.to_json(), ingredient.mime_type, io.BytesIO(ingredient.data)
                )
            builder.sign(signer, mime_type, io.BytesIO(data), destination)
        except c2pa_sdk.C2paError as exc:
            raise SigningFailed(f"C2PA signing failed: {exc}") from exc
        signed = destination.getvalue()
        self._require_trusted(signed, mime_type, label)
        return SignedAsset(data=signed, manifest_label=label)

    def _context(self) -> c2pa_sdk.Context:
        context = getattr(self._contexts, "builder", None)
        if context is None:
            context = c2pa_sdk.Context(c2pa_sdk.Settings.from_dict(self._builder_settings))
            self._contexts.builder = context
        return context

    def _require_trusted(self, signed: bytes, mime_type: str, label: str) -> None:
        state, active = _validation_of(signed, mime_type, self.trust_anchors_pem)
        if state not in _ACCEPTED_STATES or active != label:
            raise ManifestInvalid(
                f"signed asset read back as {state!r} with manifest {active!r}, "
                f"not a trusted manifest {label!r}"
            )


_reader_contexts = threading.local()


def _reader_context(trust_anchors_pem: str) -> c2pa_sdk.Context:
    """A reader context trusting ``trust_anchors_pem`` and fetching nothing, kept per thread."""
    cached = getattr(_reader_contexts, "by_anchors", None)
    if cached is None or cached[0] != trust_anchors_pem:
        settings = {
            "trust": {"trust_anchors": trust_anchors_pem},
            "verify": {"verify_trust": True, "remote_manifest_fetch": False, "ocsp_fetch": False},
        }
        cached = (trust_anchors_pem, c2pa_sdk.Context(c2pa_sdk.Settings.from_dict(settings)))
        _reader_contexts.by_anchors = cached
    return cached[1]


def _validation_of(data: bytes, mime_type: str, trust_anchors_pem: str) -> tuple[str | None, str]:
    """The validation state and active manifest label of a file we just signed (the read-back:
    only what it needs, not the whole report)."""
    context = _reader_context(trust_anchors_pem)
    try:
        reader = c2pa_sdk.Reader(mime_type, io.BytesIO(data), None, context)
        try:
            return reader.get_validation_state(), json.loads(reader.json()).get("active_manifest")
        finally:
            reader.close()
    except c2pa_sdk.C2paError as exc:
        raise ManifestInvalid(f"signed asset does not read back: {exc}") from exc


def read_manifest(data: bytes, mime_type: str, trust_anchors_pem: str) -> ManifestReport:
    """Read the active manifest of an asset, validating it against ``trust_anchors_pem``.

    An asset without a manifest, or one whose manifest cannot be parsed, gives a report with
    ``validation_state`` None; this function does not raise for a bad asset.
    """
    try:
        return read_manifest_strict(data, mime_type, trust_anchors_pem)
    except c2pa_sdk.C2paError as exc:
        _log.info("no readable C2PA manifest: %s", exc)
        return ManifestReport(None, None, None, None)


def read_manifest_strict(data: bytes, mime_type: str, trust_anchors_pem: str) -> ManifestReport:
    """As ``read_manifest``, but a file without a manifest, or one c2pa cannot parse, raises.

    Nothing is fetched: a manifest stored at a URL and certificate revocation (OCSP) are not
    looked up, so a file can never make the reader call a host of its choosing.

    Raises:
        c2pa.C2paError: ``ManifestNotFound`` when there is no manifest; another subclass when
            the file or its manifest cannot be parsed.
    """
    reader = c2pa_sdk.Reader(mime_type, io.BytesIO(data), None, _reader_context(trust_anchors_pem))
    try:
        store = json.loads(reader.json())
        return ManifestReport(
            label=store.get("active_manifest"),
            validation_state=reader.get_validation_state(),
            manifest=reader.get_active_manifest(),
            validation_results=reader.get_validation_results(),
        )
    finally:
        reader.close()
