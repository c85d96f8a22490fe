"""Errors of the audit package.

AuditError
 ├── AuditWriteFailed   (audit_write_failed)   an entry could not be appended; fail closed
 └── CursorInvalid      (audit_cursor_invalid) a pagination cursor that this log did not issue
"""

from __future__ import annotations


class AuditError(Exception):
    code = "audit_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuditWriteFailed(AuditError):
    code = "audit_write_failed"


class CursorInvalid(AuditError):
    code = "audit_cursor_invalid"
