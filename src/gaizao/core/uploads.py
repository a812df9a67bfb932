"""Uploaded files: refused when empty or too large, or when their first bytes are not what their name says.

The browser's content type is whatever the sender wrote; the first bytes (the "magic number") are what the
file is. A caller names the extensions it accepts and its size limit; `check_upload` answers the file's real
type or refuses it with a message that names the file.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

MB = 1024 * 1024
HEAD_BYTES = 4096  # enough for every signature, and for a text file's first lines


class UploadRefused(ValidationError, ValueError):
    """A refused file: a ValidationError for forms and services, a ValueError for callers that catch that."""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    matches: Callable[[bytes], bool]


ZIP = b"PK\x03\x04"  # Office Open XML (.docx, .xlsx) and OFD are ZIP packages
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the older Office files (.doc, .xls)
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


_office = _starts(ZIP, OLE)  # WPS saves the new format under the old name and the other way round


def _heif(head: bytes) -> bool:
    """HEIC/HEIF, what phones take photos in: an ISO media box `ftyp` whose brand is one of HEIF's."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _text(head: bytes) -> bool:
    """A text file (CSV in UTF-8 or GBK): no NUL byte, and none of the binary signatures."""
    return b"\0" not in head and _what_it_is(head) is None


def _json_object(head: bytes) -> bool:
    return _text(head) and head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


JPEG = FileType("JPEG 图片", "image/jpeg", _starts(b"\xff\xd8\xff"))
PNG = FileType("PNG 图片", "image/png", _starts(b"\x89PNG\r\n\x1a\n"))
GIF = FileType("GIF 图片", "image/gif", _starts(b"GIF87a", b"GIF89a"))
WEBP = FileType("WebP 图片", "image/webp", _webp)
HEIC = FileType("HEIC 图片", "image/heic", _heif)
PDF = FileType("PDF 文件", "application/pdf", _starts(b"%PDF-"))
OFD = FileType("OFD 版式文件", "application/ofd", _starts(ZIP))
DOCX = FileType("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _office)
XLSX = FileType("Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _office)
XLSM = FileType("Excel 工作簿", "application/vnd.ms-excel.sheet.macroEnabled.12", _office)
DOC = FileType("Word 文档", "application/msword", _office)
XLS = FileType("Excel 工作簿", "application/vnd.ms-excel", _office)
CSV = FileType("CSV 文本", "text/csv", _text)
GEOJSON = FileType("GeoJSON 文件", "application/geo+json", _json_object)
SIGNATURES = (  # what the first bytes say a file really is, for the message that refuses it
    (JPEG.matches, JPEG.label),
    (PNG.matches, PNG.label),
    (GIF.matches, GIF.label),
    (WEBP.matches, WEBP.label),
    (HEIC.matches, HEIC.label),
    (PDF.matches, PDF.label),
    (_starts(ZIP), "ZIP 压缩包（Word、Excel 或 OFD 文件也是）"),
    (_starts(OLE), "97-2003 版 Word 或 Excel 文件"),
)

BY_EXTENSION = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".gif": GIF,
    ".webp": WEBP,
    ".heic": HEIC,
    ".heif": HEIC,
    ".pdf": PDF,
    ".ofd": OFD,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".xlsm": XLSM,
    ".doc": DOC,
    ".xls": XLS,
    ".csv": CSV,
    ".geojson": GEOJSON,
    ".json": GEOJSON,
}


def _head(upload) -> bytes:
    upload.seek(0)
    try:
        return upload.read(HEAD_BYTES)
    finally:
        upload.seek(0)


def _megabytes(size: int) -> str:
    return f"{math.ceil(size * 10 / MB) / 10:g} MB"


def _what_it_is(head: bytes) -> str | None:
    return next((label for matches, label in SIGNATURES if matches(head)), None)


def check_upload(upload, *, allowed: Iterable[str], max_bytes: int, what: str = "文件") -> FileType:
    """The file's real type when its extension is `allowed` and its first bytes are that type; else UploadRefused."""
    name, allowed = upload.name or "", tuple(allowed)
    if upload.size > max_bytes:
        raise UploadRefused(f"{what}“{name}”超过 {_megabytes(max_bytes)} 的上限（该文件 {_megabytes(upload.size)}）")
    if not upload.size:
        raise UploadRefused(f"{what}“{name}”是空文件")
    extension = PurePath(name).suffix.lower()
    if extension not in allowed or extension not in BY_EXTENSION:
        raise UploadRefused(f"{what}“{name}”的类型不能上传，可以上传：{'、'.join(allowed)}")
    expected, head = BY_EXTENSION[extension], _head(upload)
    if not expected.matches(head):
        actual = _what_it_is(head)
        raise UploadRefused(f"{what}“{name}”的内容不是{expected.label}" + (f"，而是{actual}" if actual else ""))
    return expected
