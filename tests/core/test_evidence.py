"""Evidence files: kept with their digest and size, photos with when and where they were taken."""

import hashlib
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from gaizao.core.evidence import MAX_EVIDENCE_BYTES, evidence_create
from gaizao.ledger.services import household_add_evidence

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def photo(*, taken: str | None = "2026:05:20 09:30:15", gps: dict | None = None, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (16, 12), "steelblue")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "gaizao-test"
    if taken is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps is not None:
        exif[ExifTags.IFD.GPSInfo] = gps
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def dms(degrees: int, minutes: int, seconds: int, seconds_denominator: int = 1) -> tuple:
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, seconds_denominator))


def position(lat_ref: str, lon_ref: str) -> dict:
    # 31°52'43.21" and 117°16'48": a street in 江北区
    return {
        ExifTags.GPS.GPSLatitudeRef: lat_ref,
        ExifTags.GPS.GPSLatitude: dms(31, 52, 4321, 100),
        ExifTags.GPS.GPSLongitudeRef: lon_ref,
        ExifTags.GPS.GPSLongitude: dms(117, 16, 48),
    }


def upload(world, name: str, content: bytes, content_type: str = "image/jpeg"):
    return evidence_create(by=world.alice.user, upload=SimpleUploadedFile(name, content, content_type=content_type))


def test_evidence_keeps_the_digest_size_name_and_file(world):
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40
    evidence = upload(world, "补偿协议（签字页）.pdf", content, "application/pdf")

    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content) == 10249
    assert evidence.name == "补偿协议（签字页）.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.uploaded_by == world.alice.user
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


def test_a_photo_carries_its_time_and_position(world):
    evidence = upload(world, "腾空现场.jpg", photo(gps=position("N", "E")))

    evidence.refresh_from_db()
    assert evidence.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert evidence.latitude == Decimal("31.878669")
    assert evidence.longitude == Decimal("117.280000")


def test_south_and_west_are_negative(world):
    evidence = upload(world, "south-west.jpg", photo(gps=position("S", "W")))

    evidence.refresh_from_db()
    assert evidence.latitude == Decimal("-31.878669")
    assert evidence.longitude == Decimal("-117.280000")


def test_a_photo_without_gps_keeps_its_time_only(world):
    evidence = upload(world, "no-gps.jpg", photo())
    assert evidence.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert (evidence.latitude, evidence.longitude) == (None, None)


def test_a_camera_with_an_unset_clock_gives_no_time(world):
    evidence = upload(world, "zero-clock.jpg", photo(taken="0000:00:00 00:00:00", gps=position("N", "E")))
    assert evidence.taken_at is None
    assert evidence.latitude == Decimal("31.878669")


def test_a_camera_without_a_gps_fix_gives_no_position(world):
    """Phones write 0/0 rationals when they had no fix: that is no position, not a crash."""
    no_fix = (IFDRational(0, 0), IFDRational(0, 0), IFDRational(0, 0))
    gps = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: no_fix,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: no_fix,
    }
    evidence = upload(world, "no-fix.jpg", photo(gps=gps))
    evidence.refresh_from_db()
    assert evidence.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert (evidence.latitude, evidence.longitude) == (None, None)


@pytest.mark.parametrize(
    "name, content",
    [
        ("协议.pdf", b"%PDF-1.4 not an image"),
        ("清单.xlsx", b"PK\x03\x04" + "拆除完毕".encode()),
        ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20),
        ("truncated.png", b"\x89PNG\r\n\x1a\n"),
    ],
)
def test_a_file_that_is_not_a_readable_photo_gets_no_time_or_position(world, name, content):
    evidence = upload(world, name, content)
    assert (evidence.taken_at, evidence.latitude, evidence.longitude) == (None, None, None)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)


def test_a_file_over_the_limit_is_refused(world):
    with pytest.raises(ValueError, match="超过 20 MB"):
        upload(world, "huge.mov", b"\0" * (MAX_EVIDENCE_BYTES + 1), "video/quicktime")


def test_the_same_file_twice_has_the_same_digest(world):
    content = photo(gps=position("N", "E"))
    first, second = upload(world, "a.jpg", content), upload(world, "b.jpg", content)
    assert first.sha256 == second.sha256
    assert first.file.name != second.file.name


# ---- on the household page and behind the download link -----------------------------------------


def filed(world, content: bytes, name: str = "腾空现场.jpg"):
    evidence = upload(world, name, content)
    household_add_evidence(by=world.alice.user, household=world.house_a, evidence=evidence, note="现场照片")
    return evidence


def test_the_timeline_links_the_evidence_with_its_time_and_place(world):
    evidence = filed(world, photo(gps=position("N", "E")))

    page = world.client(world.alice).get(reverse("ledger:household_detail", args=[world.house_a.pk])).content.decode()

    assert f'href="{reverse("ledger:evidence", args=[evidence.pk])}"' in page
    assert "腾空现场.jpg" in page and "现场照片" in page
    assert "拍摄 2026-05-20 09:30" in page
    assert "31.878669" in page and "117.280000" in page


def test_the_download_serves_the_file_to_who_sees_the_household(world):
    content = photo(gps=position("N", "E"))
    evidence = filed(world, content)

    response = world.client(world.alice).get(reverse("ledger:evidence", args=[evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "filename*=utf-8''%E8%85%BE%E7%A9%BA%E7%8E%B0%E5%9C%BA.jpg" in response["Content-Disposition"]


@pytest.mark.parametrize("persona, status", [("bob", 404), ("pat", 404), ("tom", 404), ("olivia", 200), ("ivy", 200)])
def test_the_download_is_404_to_who_does_not_see_the_household(world, persona, status):
    evidence = filed(world, b"%PDF-1.4 agreement", "协议.pdf")
    response = world.client(getattr(world, persona)).get(reverse("ledger:evidence", args=[evidence.pk]))
    assert response.status_code == status


def test_evidence_filed_for_no_household_is_404_to_everyone(world):
    evidence = upload(world, "stray.pdf", b"%PDF-1.4", "application/pdf")
    for persona in (world.alice, world.olivia, world.ivy):
        assert world.client(persona).get(reverse("ledger:evidence", args=[evidence.pk])).status_code == 404


def test_the_download_needs_a_login(world):
    evidence = filed(world, b"%PDF-1.4 agreement", "协议.pdf")
    response = world.client(None).get(reverse("ledger:evidence", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: the refusal reaches the page
def test_a_photo_without_a_gps_fix_can_be_filed_from_the_household_page(world):
    no_fix = (IFDRational(0, 0), IFDRational(0, 0), IFDRational(0, 0))
    gps = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: no_fix}
    gps |= {ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: no_fix}
    file = SimpleUploadedFile("无定位.jpg", photo(gps=gps), content_type="image/jpeg")

    response = world.client(world.alice).post(
        reverse("ledger:household_evidence", args=[world.house_a.pk]), {"evidence": file, "note": "现场"}, follow=True
    )

    page = response.content.decode()
    assert "已保存" in page, page[page.find('class="messages"') :][:300]
    assert "无定位.jpg" in page
