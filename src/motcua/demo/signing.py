"""Throwaway signing keys for the demo: a root CA and a signer generated once under
MOTCUA_VAR_DIR/signing, named "DEMO — không dùng thật" so nobody mistakes a paper signed with them
for a real one.

`DemoConfig.ready` hands `keys_for_demo` to `motcua.documents.signing`; without the demo app
nothing generates keys and signing needs SIGNING_KEY_FILE and SIGNING_CERT_FILE.
"""

import logging
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from motcua.documents.signing import SigningKeys

from .published import SIGNING_DIRNAME, SIGNING_ORGANIZATION, SIGNING_ROOT_CN, SIGNING_SIGNER_CN

logger = logging.getLogger(__name__)

DEMO_ROOT_CN = SIGNING_ROOT_CN
DEMO_SIGNER_CN = SIGNING_SIGNER_CN


def keys_for_demo() -> SigningKeys:
    """The demo pair under `settings.VAR_DIR / "signing"` (read at call time, so tests can
    redirect it), generated on first use."""
    return demo_keys(Path(settings.VAR_DIR) / SIGNING_DIRNAME)


def demo_keys(directory: Path) -> SigningKeys:
    """Generate the demo root CA and signer once; later calls (and other processes) reuse them.

    Generated in a private temporary folder and renamed into place: a rename is atomic, so two
    processes starting at once never mix one's key with the other's certificate.
    """
    directory = Path(directory)
    keys = SigningKeys(directory / "signer-key.pem", directory / "signer.pem", None, demo=True)
    if keys.key_file.exists() and keys.cert_file.exists():
        return keys
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".signing-", dir=directory.parent))
    try:
        write_pki(staging)
        try:
            if directory.exists() and not any(directory.iterdir()):
                directory.rmdir()
            os.rename(staging, directory)
        except OSError:
            if not (keys.key_file.exists() and keys.cert_file.exists()):
                raise
            return keys  # another process won the race: use its keys
        logger.warning("Generated DEMO signing keys in %s — not for production use.", directory)
        return keys
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_pki(
    folder: Path,
    *,
    organization: str = SIGNING_ORGANIZATION,
    root_cn: str = SIGNING_ROOT_CN,
    signer_cn: str = SIGNING_SIGNER_CN,
) -> None:
    """A root CA and a signer it certifies, in `folder`: root.pem, signer.pem (signer then root),
    signer-key.pem. Tests also make an "operator's" pair with other names from it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
            ]
        )

    # Fixed, wide validity: tests freeze the clock to 2026 dates and must still see valid
    # certificates whenever the keys were generated.
    not_before = datetime(2020, 1, 1, tzinfo=UTC)
    not_after = datetime(2045, 12, 31, tzinfo=UTC)

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = name(root_cn)
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = (
        x509.CertificateBuilder()
        .subject_name(name(signer_cn))
        .issuer_name(root_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # Non-repudiation (content commitment) is what pyHanko requires of a document signer.
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    # The root's private key is not kept: the demo never issues another certificate.
    (folder / "root.pem").write_bytes(root.public_bytes(pem))
    (folder / "signer.pem").write_bytes(signer.public_bytes(pem) + root.public_bytes(pem))
    key_path = folder / "signer-key.pem"
    key_path.write_bytes(
        signer_key.private_bytes(
            pem,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
