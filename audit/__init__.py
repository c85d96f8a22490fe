"""The tamper-evident audit log: hash-chained entries, signed checkpoints, verify, search."""

from audit.chain import AuditLog, utc_now_iso
from audit.checkpoint import Checkpoint, CheckpointFile, CheckpointKey
from audit.errors import AuditError, AuditWriteFailed, CursorInvalid, ExportInvalid, ExportRefused
from audit.export_digest import ExportDigest, load_public_key, parse_digest
from audit.export_format import FORMATS as EXPORT_FORMATS
from audit.export_format import MEDIA_TYPES as EXPORT_MEDIA_TYPES
from audit.export_verify import verify_export
from audit.exports import ExportPlan, digest_filters, plan_export, stored_digest, stream_export
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
    "EXPORT_FORMATS",
    "EXPORT_MEDIA_TYPES",
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
    "ExportDigest",
    "ExportInvalid",
    "ExportPlan",
    "ExportRefused",
    "Problem",
    "SummaryRow",
    "VerifyReport",
    "digest_filters",
    "export",
    "load_public_key",
    "parse_digest",
    "plan_export",
    "prompt_hash",
    "redact_prompts_before",
    "search",
    "stored_digest",
    "stream_export",
    "summary",
    "utc_now_iso",
    "verify_export",
    "verify_log",
]
