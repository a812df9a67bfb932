import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.core.evidence import evidence_create


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def proof(official, name: str = "整改照片.pdf"):
    upload = SimpleUploadedFile(name, b"%PDF-1.4 photo", content_type="application/pdf")
    return evidence_create(by=official.user, upload=upload)
