"""The tamper-evident audit log: hash-chained entries, signed checkpoints, verify, search."""

from audit.chain import AuditLog, utc_now_iso
from audit.checkpoint import Checkpoint, CheckpointFile, CheckpointKey
from audit.errors import AuditError, AuditWriteFailed, CursorInvalid
from audit.query import (
    LOG_READ_ACTIONS,
    MAX_PAGE,
    SUMMARY_GROUPS,
    AuditFilter,
    AuditPage,
    SummaryRow,
    export,
    search,
    summary,
)
from audit.record import GENESIS_HASH, AuditEntry, AuditRecord, Decision, prompt_hash
from audit.retention import redact_prompts_before
from audit.verify import Problem, VerifyReport, verify_log

__all__ = [
    "GENESIS_HASH",
    "LOG_READ_ACTIONS",
    "MAX_PAGE",
    "SUMMARY_GROUPS",
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
    "SummaryRow",
    "VerifyReport",
    "export",
    "prompt_hash",
    "redact_prompts_before",
    "search",
    "summary",
    "utc_now_iso",
    "verify_log",
]
