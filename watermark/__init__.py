"""C2PA manifests (and, later, invisible marks) for every generated asset."""

from watermark.c2pa import (
    CONSENTGATE_ASSERTION,
    SUPPORTED_MIME_TYPES,
    TRAINED_ALGORITHMIC_MEDIA,
    GenerationManifest,
    Ingredient,
    ManifestReport,
    ManifestSigner,
    SignedAsset,
    read_manifest,
)
from watermark.credentials import (
    KeyHandle,
    PemKey,
    SigningCredentials,
    ensure_dev_credentials,
    load_credentials,
)
from watermark.errors import CredentialsError, ManifestInvalid, SigningFailed, WatermarkError

__all__ = [
    "CONSENTGATE_ASSERTION",
    "SUPPORTED_MIME_TYPES",
    "TRAINED_ALGORITHMIC_MEDIA",
    "CredentialsError",
    "GenerationManifest",
    "Ingredient",
    "KeyHandle",
    "ManifestInvalid",
    "ManifestReport",
    "ManifestSigner",
    "PemKey",
    "SignedAsset",
    "SigningCredentials",
    "SigningFailed",
    "WatermarkError",
    "ensure_dev_credentials",
    "load_credentials",
    "read_manifest",
]
