"""Signed C2PA manifests: embed one in every output, and read one back with its validation.

The manifest says the asset was created by a trained algorithm (IPTC digital source type),
names consentgate, the engine and the model in ``softwareAgent``, and carries a consentgate
assertion binding the asset to its request, audit entry, licence and purpose.
"""

from __future__ import annotations

import io
import json
import logging
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
        destination = io.BytesIO()
        try:
            signer = c2pa_sdk.Signer.from_callback(
                self._credentials.key.sign_es256,
                c2pa_sdk.C2paSigningAlg.ES256,
                self._credentials.chain_pem,
                None,
            )
            context = c2pa_sdk.Context(c2pa_sdk.Settings.from_dict(self._builder_settings))
            builder = c2pa_sdk.Builder(manifest.to_manifest(), context)
            for ingredient in ingredients:
                builder.add_ingredient(
                    ingredient.to_json(), ingredient.mime_type, io.BytesIO(ingredient.data)
                )
            builder.sign(signer, mime_type, io.BytesIO(data), destination)
        except c2pa_sdk.C2paError as exc:
            raise SigningFailed(f"C2PA signing failed: {exc}") from exc
        signed = destination.getvalue()
        report = read_manifest(signed, mime_type, self.trust_anchors_pem)
        if not report.trusted or report.label is None:
            raise ManifestInvalid(
                f"signed asset read back as {report.validation_state!r}, not a trusted manifest"
            )
        return SignedAsset(data=signed, manifest_label=report.label)


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
    settings = {
        "trust": {"trust_anchors": trust_anchors_pem},
        "verify": {"verify_trust": True, "remote_manifest_fetch": False, "ocsp_fetch": False},
    }
    context = c2pa_sdk.Context(c2pa_sdk.Settings.from_dict(settings))
    reader = c2pa_sdk.Reader(mime_type, io.BytesIO(data), None, context)
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
