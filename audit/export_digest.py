"""The signed digest of an export: what was asked, what was written, what it was checked against.

The digest, as served (the last JSON Lines record, or the detached digest of a CSV export)::

    {"export_digest": {
        "version": "consentgate-audit-export/1",
        "export_id": "01K…",                  # also the Consentgate-Export-Id header
        "format": "jsonl" | "csv",
        "filters": {"decision": "deny", …},   # the filters given, by name
        "seq_range": {"first": 3, "last": 57} | null,   # seqs of the first and last row
        "row_count": 12,
        "rows_sha256": "<hex>",               # see below
        "chain_head": {"seq": 60, "hash": "<hex>"},     # the log was read up to here
        "checkpoint": {"seq", "head_hash", "time", "key_id", "signature"} | null,
        "exported_at": "2026-…Z",
        "key_id": "<hex>",
        "signature": "<base64>"}}

``rows_sha256`` is the SHA-256 of the export's bytes before the digest: for CSV the whole file
(header included), for JSON Lines every line before the ``export_digest`` record, each with its
``\\n``. An edited, deleted, added, reordered or cut row changes it.

``signature`` is Ed25519, by the audit checkpoint key, over the RFC 8785 canonical JSON of the
inner object without ``signature``; ``key_id`` is the first 16 hex digits of the SHA-256 of the
raw 32-byte public key. The checkpoint is the newest one the log held at or below
``chain_head.seq``, signed by the same key over its own payload (``audit.checkpoint``).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit import canonical
from audit.checkpoint import Checkpoint, key_id_of
from audit.errors import ExportInvalid

if TYPE_CHECKING:
    from audit.checkpoint import CheckpointKey

DIGEST_VERSION = "consentgate-audit-export/1"
DIGEST_RECORD = "export_digest"  # the one key of the record that carries a digest

_HEX64 = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class SeqRange:
    first: int
    last: int


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True)
class ExportDigest:
    export_id: str
    format: str
    filters: dict[str, Any]
    seq_range: SeqRange | None
    row_count: int
    rows_sha256: str
    chain_head: ChainHead
    checkpoint: Checkpoint | None
    exported_at: str
    key_id: str
    signature: str  # base64 of the Ed25519 signature over ``signed_payload``
    version: str = DIGEST_VERSION

    def as_dict(self) -> dict[str, Any]:
        """The inner object of ``{"export_digest": …}``."""
        return {
            "version": self.version,
            "export_id": self.export_id,
            "format": self.format,
            "filters": self.filters,
            "seq_range": None if self.seq_range is None else asdict(self.seq_range),
            "row_count": self.row_count,
            "rows_sha256": self.rows_sha256,
            "chain_head": asdict(self.chain_head),
            "checkpoint": None if self.checkpoint is None else asdict(self.checkpoint),
            "exported_at": self.exported_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    def record(self) -> dict[str, Any]:
        return {DIGEST_RECORD: self.as_dict()}

    def signed_payload(self) -> bytes:
        """The bytes the signature covers: RFC 8785 JSON of ``as_dict()`` less ``signature``.

        Raises:
            rfc8785.CanonicalizationError: a filter value has no canonical form (never for a
                digest built by ``sign_digest``, which names filters in canonical values).
        """
        unsigned = self.as_dict()
        del unsigned["signature"]
        return canonical.dumps(unsigned)


def jsonable_filters(asked: dict[str, Any]) -> dict[str, Any]:
    """Filter values as JSON RFC 8785 can write: integers beyond ±(2**53 - 1) as text."""

    def value(item: Any) -> Any:
        if isinstance(item, bool) or item is None or isinstance(item, str):
            return item
        if isinstance(item, int):
            return item if abs(item) <= canonical.SAFE_INTEGER else str(item)
        if isinstance(item, list | tuple):
            return [value(part) for part in item]
        return str(item)

    return {str(name): value(item) for name, item in asked.items()}


def sign_digest(key: CheckpointKey, unsigned: ExportDigest) -> ExportDigest:
    """``unsigned`` with ``key_id`` and ``signature`` set by ``key``."""
    with_key = _replace(unsigned, key_id=key.key_id, signature="")
    signature = base64.b64encode(key.sign_bytes(with_key.signed_payload())).decode()
    return _replace(with_key, signature=signature)


def _replace(digest: ExportDigest, **changes: Any) -> ExportDigest:
    return ExportDigest(**{**digest.__dict__, **changes})


def check_signature(digest: ExportDigest, public_key: Ed25519PublicKey) -> None:
    """Raises ExportInvalid unless ``digest`` (and the checkpoint it names) are signed by
    ``public_key``; a digest by another key is named as such."""
    expected = key_id_of(public_key)
    if digest.key_id != expected:
        raise ExportInvalid(
            f"the digest names signing key {digest.key_id}, not the trusted key {expected}: "
            "it was signed by another key"
        )
    try:
        public_key.verify(
            base64.b64decode(digest.signature, validate=True), digest.signed_payload()
        )
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise ExportInvalid(
            "the digest's signature does not verify: the digest was edited, or signed by "
            "another key"
        ) from exc
    if digest.checkpoint is not None:
        _check_checkpoint(digest.checkpoint, digest.chain_head, public_key)


def _check_checkpoint(
    checkpoint: Checkpoint, head: ChainHead, public_key: Ed25519PublicKey
) -> None:
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_payload())
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise ExportInvalid("the checkpoint the digest names has a bad signature") from exc
    if checkpoint.seq > head.seq or (
        checkpoint.seq == head.seq and checkpoint.head_hash != head.hash
    ):
        raise ExportInvalid("the checkpoint the digest names does not lie on its chain head")


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM (``consentgate audit public-key``).

    Raises:
        ValueError: not a PEM public key, or not Ed25519.
    """
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the PEM does not hold an Ed25519 public key")
    return key


def parse_digest(document: Any) -> ExportDigest:
    """The digest in ``{"export_digest": {…}}`` (JSON already decoded), shape checked.

    Raises:
        ExportInvalid: not a digest of this version, or a member missing, extra or mistyped.
    """
    if not isinstance(document, dict) or set(document) != {DIGEST_RECORD}:
        raise ExportInvalid(f'not a digest: expected {{"{DIGEST_RECORD}": {{…}}}}')
    inner = document[DIGEST_RECORD]
    try:
        return _parse_inner(inner)
    except (KeyError, TypeError, ValueError) as exc:
        raise ExportInvalid(f"the digest is malformed ({exc})") from exc


_MEMBERS = frozenset(
    {
        "version",
        "export_id",
        "format",
        "filters",
        "seq_range",
        "row_count",
        "rows_sha256",
        "chain_head",
        "checkpoint",
        "exported_at",
        "key_id",
        "signature",
    }
)


def _parse_inner(inner: Any) -> ExportDigest:
    """Raises ExportInvalid for another version; KeyError, TypeError, ValueError otherwise."""
    if not isinstance(inner, dict) or set(inner) != _MEMBERS:
        raise ValueError("members differ from " + ", ".join(sorted(_MEMBERS)))
    if inner["version"] != DIGEST_VERSION:
        raise ExportInvalid(f"digest version {inner['version']!r} is not {DIGEST_VERSION!r}")
    seqs, head, checkpoint = inner["seq_range"], inner["chain_head"], inner["checkpoint"]
    return ExportDigest(
        export_id=_text(inner["export_id"]),
        format=_text(inner["format"]),
        filters=_typed(inner["filters"], dict),
        seq_range=None if seqs is None else SeqRange(_int(seqs["first"]), _int(seqs["last"])),
        row_count=_int(inner["row_count"]),
        rows_sha256=_hex64(inner["rows_sha256"]),
        chain_head=ChainHead(_int(head["seq"]), _text(head["hash"])),
        checkpoint=None if checkpoint is None else _checkpoint(checkpoint),
        exported_at=_text(inner["exported_at"]),
        key_id=_text(inner["key_id"]),
        signature=_text(inner["signature"]),
    )


def _checkpoint(value: Any) -> Checkpoint:
    names = {"seq", "head_hash", "time", "key_id", "signature"}
    if not isinstance(value, dict) or set(value) != names:
        raise ValueError("the checkpoint's members differ from " + ", ".join(sorted(names)))
    return Checkpoint(
        _int(value["seq"]),
        _text(value["head_hash"]),
        _text(value["time"]),
        _text(value["key_id"]),
        _text(value["signature"]),
    )


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"{value!r} is not {kind.__name__}")
    return value


def _text(value: Any) -> str:
    return str(_typed(value, str))


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"{value!r} is not a count or seq")
    return value


def _hex64(value: Any) -> str:
    text = _text(value)
    if len(text) != 64 or not _HEX64.issuperset(text):
        raise ValueError(f"{text!r} is not a SHA-256 in lower-case hex")
    return text
