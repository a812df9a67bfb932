"""Uploads: a file is kept only when it is small enough and its first bytes are what its name says."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gaizao.core.evidence import EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, evidence_create
from gaizao.core.models import Evidence
from gaizao.core.uploads import MB, UploadRefused, check_upload


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "steelblue").save(out, fmt)
    return out.getvalue()


def zipped(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(member, "<xml/>")
    return out.getvalue()


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # the compound file of .doc and .xls
HEIC_HEADER = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 40  # an iPhone photo's first box

REAL_FILES = {
    "现场.jpg": (image("JPEG"), "image/jpeg"),
    "现场.JPEG": (image("JPEG"), "image/jpeg"),
    "现场.png": (image("PNG"), "image/png"),
    "现场.gif": (image("GIF"), "image/gif"),
    "现场.webp": (image("WEBP"), "image/webp"),
    "IMG_0001.HEIC": (HEIC_HEADER, "image/heic"),
    "协议.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
    "电子回单.ofd": (zipped("OFD.xml"), "application/ofd"),
    "说明.docx": (
        zipped("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "清单.xlsx": (zipped("xl/styles.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "说明.doc": (OLE_HEADER, "application/msword"),
    "清单.xls": (OLE_HEADER, "application/vnd.ms-excel"),
}


def upload(world, name: str, content: bytes, content_type: str = "application/octet-stream") -> Evidence:
    return evidence_create(by=world.alice.user, upload=SimpleUploadedFile(name, content, content_type=content_type))


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_allowed_type_is_kept_with_the_type_its_bytes_say(world, name):
    content, real_type = REAL_FILES[name]

    evidence = upload(world, name, content, content_type="text/html")  # whatever the browser claims

    evidence.refresh_from_db()
    assert evidence.content_type == real_type
    with evidence.file.open("rb") as stored:
        assert stored.read() == content  # reading the first bytes left the file whole


@pytest.mark.parametrize("name, content", [("清单.xls", zipped("xl/styles.xml")), ("说明.docx", OLE_HEADER)])
def test_an_office_file_saved_by_wps_under_the_other_formats_name_is_kept(world, name, content):
    assert upload(world, name, content).size == len(content)


def test_the_allowed_list_covers_phones_scans_and_office_files():
    assert {".jpg", ".png", ".heic", ".webp", ".pdf", ".docx", ".xlsx", ".doc", ".xls"} <= set(EVIDENCE_TYPES)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("拆除现场.jpg", "这是一段文字，不是照片".encode(), "佐证文件“拆除现场.jpg”的内容不是JPEG 图片"),
        ("拆除现场.jpg", image("PNG"), "佐证文件“拆除现场.jpg”的内容不是JPEG 图片，而是PNG 图片"),
        ("协议.pdf", image("JPEG"), "佐证文件“协议.pdf”的内容不是PDF 文件，而是JPEG 图片"),
        ("说明.docx", b"%PDF-1.4 scanned", "佐证文件“说明.docx”的内容不是Word 文档，而是PDF 文件"),
        ("清单.xls", b"%PDF-1.4 scanned", "佐证文件“清单.xls”的内容不是Excel 工作簿，而是PDF 文件"),
        ("IMG_0001.heic", image("JPEG"), "的内容不是HEIC 图片，而是JPEG 图片"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(world, name, content, message):
    with pytest.raises(UploadRefused, match=message):
        upload(world, name, content)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("x.html", b"<script>alert(1)</script>"),
        ("setup.exe", b"MZ\x90\x00"),
        ("notes.txt", "拆除完毕".encode()),
        ("archive.zip", zipped("a.txt")),
        ("清单.csv", "户号,户主\nA001,张三明\n".encode()),  # a table to import, not a piece of evidence
        ("no-extension", image("JPEG")),
    ],
)
def test_a_type_outside_the_allowed_list_is_refused_naming_the_file_and_the_allowed_types(world, name, content):
    with pytest.raises(UploadRefused) as refused:
        upload(world, name, content)
    assert str(refused.value).startswith(f"佐证文件“{name}”的类型不能上传，可以上传：.jpg、.jpeg、")
    assert ".pdf" in str(refused.value)


def test_an_empty_file_is_refused(world):
    with pytest.raises(UploadRefused, match="佐证文件“empty.jpg”是空文件"):
        upload(world, "empty.jpg", b"")


def test_the_size_limit_is_20_mb_and_the_message_says_so(world):
    too_big = image("JPEG") + b"\0" * (MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(UploadRefused) as refused:
        upload(world, "航拍.jpg", too_big)
    assert str(refused.value) == "佐证文件“航拍.jpg”超过 20 MB 的上限（该文件 20.1 MB）"

    just_fits = image("JPEG")
    just_fits += b"\0" * (MAX_EVIDENCE_BYTES - len(just_fits))
    assert upload(world, "航拍.jpg", just_fits).size == 20 * MB


def test_a_refusal_is_both_a_value_error_and_a_validation_error():
    """Older callers catch ValueError; forms, run_service and the API catch ValidationError: both see the message."""
    with pytest.raises(UploadRefused) as refused:
        check_upload(ContentFile(b"text", name="a.jpg"), allowed=[".jpg"], max_bytes=MB)
    assert isinstance(refused.value, ValueError) and isinstance(refused.value, ValidationError)
    assert str(refused.value) == refused.value.messages[0] == "文件“a.jpg”的内容不是JPEG 图片"


# ---- the shared checker for the other uploads: ledger workbooks and GeoJSON ----------------------------

WORKBOOKS = (".xlsx", ".xls", ".xlsm", ".csv")


@pytest.mark.parametrize(
    "name, content",
    [
        ("台账.xlsx", zipped("xl/styles.xml")),
        ("台账.xls", OLE_HEADER),
        ("台账.xls", zipped("xl/styles.xml")),  # WPS
        ("台账.xlsm", zipped("xl/styles.xml")),
        ("台账.csv", "户号,户主姓名\nA001,张三明\n".encode()),
        ("台账.csv", "户号,户主姓名\nA001,张三明\n".encode("gbk")),
        ("台账.csv", "\ufeff户号,户主姓名\n".encode()),
    ],
)
def test_a_ledger_workbook_passes_when_it_is_what_its_name_says(name, content):
    assert check_upload(ContentFile(content, name=name), allowed=WORKBOOKS, max_bytes=50 * MB, what="台账文件")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("台账.csv", zipped("xl/styles.xml"), "台账文件“台账.csv”的内容不是CSV 文本，而是ZIP 压缩包"),
        ("台账.csv", "户号,户主姓名\n".encode("utf-16"), "台账文件“台账.csv”的内容不是CSV 文本"),
        ("台账.xlsx", bytes(range(256)), "台账文件“台账.xlsx”的内容不是Excel 工作簿"),
        ("台账.pdf", b"%PDF-1.4", "台账文件“台账.pdf”的类型不能上传，可以上传：.xlsx、.xls、.xlsm、.csv"),
    ],
)
def test_a_ledger_workbook_that_is_not_one_is_refused(name, content, message):
    with pytest.raises(UploadRefused, match=message):
        check_upload(ContentFile(content, name=name), allowed=WORKBOOKS, max_bytes=50 * MB, what="台账文件")


def test_geojson_is_a_json_object_in_text():
    allowed = (".geojson", ".json")
    collection = b'\xef\xbb\xbf\n  {"type": "FeatureCollection", "features": []}'
    assert check_upload(ContentFile(collection, name="places.geojson"), allowed=allowed, max_bytes=MB)
    with pytest.raises(UploadRefused, match="的内容不是GeoJSON 文件"):
        check_upload(ContentFile(b"<html></html>", name="places.geojson"), allowed=allowed, max_bytes=MB)
    with pytest.raises(UploadRefused, match="超过 1 MB 的上限"):
        check_upload(ContentFile(b"{" + b" " * MB, name="places.json"), allowed=allowed, max_bytes=MB)


# ---- on the pages and the API: a refusal is a message, never a 500 ----------------------------------


def test_the_household_page_refuses_a_text_file_named_jpg_with_a_message(world):
    fake = SimpleUploadedFile("腾空现场.jpg", "不是照片".encode(), content_type="image/jpeg")

    response = world.client(world.alice).post(
        reverse("ledger:household_evidence", args=[world.house_a.pk]), {"evidence": fake, "note": "现场"}, follow=True
    )

    assert response.status_code == 200
    assert "佐证文件“腾空现场.jpg”的内容不是JPEG 图片" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_api_answers_400_for_a_refused_evidence_file(world):
    fake = SimpleUploadedFile("腾空现场.jpg", "不是照片".encode(), content_type="image/jpeg")

    response = world.client(world.alice).post(
        reverse("api:household_stage", args=[world.house_a.pk]), {"stage": "surveyed", "evidence": fake}
    )

    assert response.status_code == 400
    assert "佐证文件“腾空现场.jpg”的内容不是JPEG 图片" in str(response.json())
    assert not Evidence.objects.exists()
