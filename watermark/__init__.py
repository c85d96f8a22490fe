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
from watermark.errors import (
    CredentialsError,
    ManifestInvalid,
    MediaUnreadable,
    SigningFailed,
    WatermarkError,
)
from watermark.media import sniff_media_type
from watermark.provenance import FileState, OwnSigner, Provenance, SignerInfo, check_provenance

__all__ = [
    "CONSENTGATE_ASSERTION",
    "SUPPORTED_MIME_TYPES",
    "TRAINED_ALGORITHMIC_MEDIA",
    "CredentialsError",
    "FileState",
    "GenerationManifest",
    "Ingredient",
    "KeyHandle",
    "ManifestInvalid",
    "ManifestReport",
    "ManifestSigner",
    "MediaUnreadable",
    "OwnSigner",
    "PemKey",
    "Provenance",
    "SignedAsset",
    "SignerInfo",
    "SigningCredentials",
    "SigningFailed",
    "WatermarkError",
    "check_provenance",
    "ensure_dev_credentials",
    "load_credentials",
    "read_manifest",
    "sniff_media_type",
]
