"""The tamper-evident audit log: hash-chained entries, signed checkpoints, verify, search."""

from audit.chain import AuditLog, utc_now_iso
from audit.checkpoint import Checkpoint, CheckpointFile, CheckpointKey
from audit.errors import AuditError, AuditWriteFailed, CursorInvalid
from audit.query import MAX_PAGE, AuditFilter, AuditPage, export, search
from audit.record import GENESIS_HASH, AuditEntry, AuditRecord, Decision, prompt_hash
from audit.verify import Problem, VerifyReport, verify_log

__all__ = [
    "GENESIS_HASH",
    "MAX_PAGE",
    "AuditEntry",
    "AuditError",
    "AuditFilter",
    "AuditLog",
    "AuditPage",
    "AuditRecord",
    "AuditWriteFailed",
    "Checkpoint",
    "CheckpointFile",
    "CheckpointKey",
    "CursorInvalid",
    "Decision",
    "Problem",
    "VerifyReport",
    "export",
    "prompt_hash",
    "search",
    "utc_now_iso",
    "verify_log",
]
