"""The organisation's C2PA signing credentials.

In dev, the first start creates a local CA and a separate end-entity certificate issued by
it, with the extensions c2pa-rs requires of a signer (KeyUsage digitalSignature critical, EKU
emailProtection, AuthorityKeyIdentifier, BasicConstraints CA:false). In production the
certificate chain, key and trust anchors come from configured PEM files. Either way the key
is used only through ``KeyHandle.sign`` so that a KMS or HSM can hold it instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from watermark.errors import CredentialsError

_log = logging.getLogger(__name__)

CA_VALIDITY = dt.timedelta(days=3650)
SIGNER_VALIDITY = dt.timedelta(days=365)
_P256_BYTES = 32


class KeyHandle(Protocol):
    """Signs with the end-entity key wherever it lives (file, KMS, HSM)."""

    def sign_es256(self, data: bytes) -> bytes:
        """Return the raw r‖s ES256 signature of ``data``."""
        ...


class PemKey:
    """A P-256 private key loaded from a PEM file on this machine."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self._key = key

    @classmethod
    def load(cls, path: Path) -> PemKey:
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise CredentialsError(f"signing key {path} could not be read") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise CredentialsError("the C2PA signing key must be an ECDSA P-256 key (ES256)")
        return cls(key)

    def sign_es256(self, data: bytes) -> bytes:
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(_P256_BYTES, "big") + s.to_bytes(_P256_BYTES, "big")


@dataclass(frozen=True)
class SigningCredentials:
    """Chain PEM (end entity first), the key handle, and the CA certificates readers trust."""

    chain_pem: str
    key: KeyHandle
    trust_anchors_pem: str


def _write_private(path: Path, data: bytes) -> None:
    # Created with 0600 from the start, so the key is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _issue_dev_certificates(organisation: str) -> tuple[bytes, bytes, bytes]:
    """Return (CA cert PEM, signer cert PEM, signer key PEM)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} consentgate dev CA"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} consentgate C2PA signer"),
        ]
    )
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(signer_name)
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + SIGNER_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        # c2pa-rs accepts emailProtection for a claim signer and refuses documentSigning.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _pem(ca_cert), _pem(signer_cert), _key_pem(signer_key)


def ensure_dev_credentials(directory: Path, organisation: str) -> SigningCredentials:
    """Load the dev CA and signer from ``directory``, creating them on first use.

    Raises:
        CredentialsError: the files exist but cannot be read.
    """
    ca_path = directory / "ca.pem"
    cert_path = directory / "signer.pem"
    key_path = directory / "signer.key"
    if not (ca_path.exists() and cert_path.exists() and key_path.exists()):
        directory.mkdir(parents=True, exist_ok=True)
        ca_pem, cert_pem, key_pem = _issue_dev_certificates(organisation)
        _write_private(key_path, key_pem)
        ca_path.write_bytes(ca_pem)
        cert_path.write_bytes(cert_pem)
        _log.info("created dev C2PA CA and signing certificate in %s", directory)
    return load_credentials(cert_path, key_path, ca_path, chain_path=ca_path)


def load_credentials(
    cert_path: Path,
    key_path: Path,
    trust_anchors_path: Path,
    chain_path: Path | None = None,
) -> SigningCredentials:
    """Load production credentials from PEM files.

    ``chain_path`` holds intermediates (and optionally the root) to send after the
    end-entity certificate; ``trust_anchors_path`` the CA certificates readers trust.

    Raises:
        CredentialsError: a file is missing or does not hold what it should.
    """
    try:
        chain = cert_path.read_text()
        if chain_path is not None:
            chain += chain_path.read_text()
        anchors = trust_anchors_path.read_text()
        x509.load_pem_x509_certificates(chain.encode())
        x509.load_pem_x509_certificates(anchors.encode())
    except (OSError, ValueError) as exc:
        raise CredentialsError("C2PA certificate files could not be read") from exc
    return SigningCredentials(chain_pem=chain, key=PemKey.load(key_path), trust_anchors_pem=anchors)
