"""Secrets and personal data at rest: AES-256-GCM with a key from the environment, and a keyed hash to find them.

GAIZAO_DATA_KEY holds 32 random bytes in base64 (`gaizao data-key` would print one; see docs/integrity.md).
Two keys are derived from it (HKDF-SHA256): one encrypts, one hashes, so neither use weakens the other.
"""

import base64
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "v1:"
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


def _keys(master_b64: str) -> tuple[bytes, bytes]:
    try:
        master = base64.b64decode(master_b64, validate=True)
    except ValueError:
        raise ImproperlyConfigured("GAIZAO_DATA_KEY 须为 32 字节随机数的 base64 编码") from None
    if len(master) != 32:
        raise ImproperlyConfigured(f"GAIZAO_DATA_KEY 须为 32 字节，现为 {len(master)} 字节")

    def derive(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    return derive(b"gaizao field encryption"), derive(b"gaizao keyed hash")


class _Material:
    """The cipher and the hash key of the configured key, made once (settings are read once, not per value)."""

    cipher: AESGCM
    hash_key: bytes

    def __init__(self, master_b64: str) -> None:
        encryption, self.hash_key = _keys(master_b64)
        self.cipher = AESGCM(encryption)  # building it costs more than encrypting an ID number


_material: _Material | None = None


def _current() -> _Material:
    global _material
    if _material is None:
        _material = _Material(settings.DATA_KEY)
    return _material


@receiver(setting_changed)
def _key_changed(*, setting: str, **kwargs) -> None:
    global _material
    if setting == "DATA_KEY":
        _material = None


def encrypt(text: str) -> str:
    """The prefix "v1:", then base64(random 12-byte nonce ‖ ciphertext ‖ tag): never twice the same token."""
    if not text:
        return ""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _current().cipher.encrypt(nonce, text.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise DecryptionError("不是本系统加密的数据")
    try:
        raw = base64.b64decode(token[len(PREFIX) :])
        return _current().cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
    except Exception as error:  # InvalidTag: another key, or the ciphertext was altered
        raise DecryptionError("解密失败：密钥不符或数据被改动") from error


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 of the normalised text: equal values find each other; without the key nothing is learnt."""
    if not text:
        return ""
    normalised = "".join(text.split()).upper()
    return hmac.digest(_current().hash_key, normalised.encode(), "sha256").hex()


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
