"""Errors of the watermark package.

WatermarkError
 ├── CredentialsError   (signing_credentials_invalid)  certificate or key missing or unusable
 ├── SigningFailed      (c2pa_signing_failed)          the manifest could not be embedded
 ├── ManifestInvalid    (c2pa_manifest_invalid)        read-back found no valid, trusted manifest
 └── MediaUnreadable    (media_unreadable)             junk: no file of its format, no manifest
"""

from __future__ import annotations


class WatermarkError(Exception):
    code = "watermark_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CredentialsError(WatermarkError):
    code = "signing_credentials_invalid"


class SigningFailed(WatermarkError):
    code = "c2pa_signing_failed"


class ManifestInvalid(WatermarkError):
    code = "c2pa_manifest_invalid"


class MediaUnreadable(WatermarkError):
    code = "media_unreadable"
