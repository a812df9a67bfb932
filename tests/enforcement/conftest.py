import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.core.evidence import evidence_create

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def photo(official, name: str = "现场.jpg"):
    return evidence_create(by=official.user, upload=SimpleUploadedFile(name, JPEG, content_type="image/jpeg"))


def jpeg_upload(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")
