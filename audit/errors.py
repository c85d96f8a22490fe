"""Errors of the audit package.

AuditError
 ├── AuditWriteFailed   (audit_write_failed)   an entry could not be appended; fail closed
 ├── CursorInvalid      (audit_cursor_invalid) a pagination cursor that this log did not issue
 ├── ExportRefused      (audit_export_refused) the log does not verify up to its head, or an
 │                                             entry changed while it was exported: nothing signed
 └── ExportInvalid      (audit_export_invalid) an export or its digest does not verify (offline
                                               check), or a stored digest no longer does
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


class ExportRefused(AuditError):
    code = "audit_export_refused"


class ExportInvalid(AuditError):
    code = "audit_export_invalid"
