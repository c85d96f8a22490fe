"""Build a long, valid audit log fast, straight into the database: for benchmarks and load tests.

Entries go through ``AuditLog.append_many``, so they are hashed, chained and checkpointed as live
appends are, but many thousands share one transaction (one ``executemany``, one commit) and no
HTTP request is involved. ``synthetic_records`` makes entries shaped like the gateway's own:
allowed generations with prompts and C2PA labels, denials with their codes, audit reads.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from audit.record import AuditRecord, Decision, prompt_hash

if TYPE_CHECKING:
    from audit.chain import AuditLog, PromptFields

ENTRIES_PER_TRANSACTION = 20_000  # a commit per 20k rows costs nothing; a batch stays ~20 MB

_KINDS = {
    "image": "tiny/sd-tiny",
    "speech": "espeak-ng",
    "voice_clone": "tiny/vits",
    "music": "tiny/musicgen",
    "video": "tiny/t2v",
}
_ROLES = (("employee",), ("employee", "voice_user"), ("service",), ("admin",))
_PURPOSES = ("internal", "training", "marketing", "commercial", "research")
_DENIALS = (
    ("role_forbidden", "authorise", "role employee may not generate voice_clone"),
    ("licence_forbids_purpose", "licence", "cc-by-nc-4.0 does not allow commercial"),
    ("consent_missing", "consent", "no consent on record for this voice"),
    ("consent_revoked", "consent", "consent was revoked"),
    ("content_blocked", "content", "payment instructions are not allowed in a clone"),
)
_PROMPTS = (
    "a lighthouse at dusk, oil painting",
    "Bonjour à tous, bienvenue à la réunion trimestrielle",
    "ein ruhiges Klavierstück in a-Moll",
    "夕暮れの灯台、水彩画",
    "a cat wearing a tiny hat 🐈🎩",
    'quote "this" and a back\\slash, tab\tnewline\n',
)


def write_log(
    log: AuditLog,
    items: Iterable[tuple[AuditRecord, PromptFields | None]],
    per_transaction: int = ENTRIES_PER_TRANSACTION,
) -> int:
    """Append ``items`` after the log's head, ``per_transaction`` at a time; return how many.

    Raises:
        AuditWriteFailed: a transaction could not be stored; the ones before it were.
        rfc8785.CanonicalizationError: a record has no canonical form; its transaction is not
            stored.
    """
    written = 0
    iterator = iter(items)
    while chunk := list(islice(iterator, per_transaction)):
        written += len(log.append_many(chunk))
    return written


def synthetic_records(
    count: int, seed: int = 0
) -> Iterator[tuple[AuditRecord, PromptFields | None]]:
    """``count`` records shaped like the gateway's, with their prompts where it keeps them."""
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            yield _generation(rng)
        elif roll < 0.85:
            yield _denial(rng)
        elif roll < 0.95:
            yield _audit_read(rng), None
        else:
            yield _engine_error(rng), None


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _prompt(rng: random.Random) -> PromptFields:
    negative = rng.choice((None, "blurry, low quality"))
    return {"prompt": rng.choice(_PROMPTS), "negative_prompt": negative}


def _generation(rng: random.Random) -> tuple[AuditRecord, PromptFields | None]:
    kind, model = rng.choice(list(_KINDS.items()))
    roles = rng.choice(_ROLES)
    purpose = rng.choice(_PURPOSES)
    fields = _prompt(rng) if rng.random() < 0.8 else None
    output = hashlib.sha256(rng.randbytes(16)).hexdigest()
    record = AuditRecord(
        request_id=_id(rng),
        action="generate",
        decision=Decision.ALLOW,
        code="ok",
        reason=f"{roles[0]} may generate {kind}; cc-by-4.0 allows {purpose}",
        subject=f"user-{rng.randrange(500)}@example.org",
        roles=roles,
        engine=kind,
        model=model,
        purpose=purpose,
        prompt_hash=None if fields is None else prompt_hash(fields),
        output_sha256=output,
        manifest_label=f"urn:c2pa:{_id(rng)}",
        policy_rule=(roles[0], kind, "generate", "allow"),
        details={
            "artifact_id": _id(rng),
            "licence": "cc-by-4.0",
            "device": "cpu",
            "seed": rng.randrange(2**31),
            "steps": rng.choice((2, 4, 20)),
            "watermark": {"kind": "invisible", "bits": 48},
        },
    )
    return record, fields


def _denial(rng: random.Random) -> tuple[AuditRecord, PromptFields | None]:
    code, check, reason = rng.choice(_DENIALS)
    kind = rng.choice(list(_KINDS))
    fields = _prompt(rng) if rng.random() < 0.5 else None
    record = AuditRecord(
        request_id=_id(rng),
        action="generate",
        decision=Decision.DENY,
        code=code,
        reason=reason,
        subject=f"user-{rng.randrange(500)}@example.org",
        roles=rng.choice(_ROLES),
        engine=kind,
        model=_KINDS[kind],
        purpose=rng.choice(_PURPOSES),
        prompt_hash=None if fields is None else prompt_hash(fields),
        details={"check": check, "voice_id": _id(rng)} if check == "consent" else {"check": check},
    )
    return record, fields


def _audit_read(rng: random.Random) -> AuditRecord:
    action = rng.choice(("read_audit", "export_audit", "verify"))
    return AuditRecord(
        request_id=_id(rng),
        action=action,
        decision=Decision.ALLOW,
        code="ok",
        reason=f"compliance_officer may {action}",
        subject="officer@example.org",
        roles=("compliance_officer",),
        policy_rule=("compliance_officer", "audit", action, "allow"),
        details={"returned": rng.randrange(500), "filters": {"decision": "deny", "code": None}},
    )


def _engine_error(rng: random.Random) -> AuditRecord:
    kind = rng.choice(list(_KINDS))
    return AuditRecord(
        request_id=_id(rng),
        action="generate",
        decision=Decision.ERROR,
        code="engine_unavailable",
        reason=f"the {kind} engine is not loaded",
        subject=f"user-{rng.randrange(500)}@example.org",
        roles=rng.choice(_ROLES),
        engine=kind,
        model=_KINDS[kind],
        details={"retry_after_s": 30},
    )
