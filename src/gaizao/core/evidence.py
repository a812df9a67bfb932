"""Evidence files: stored with their digest, and with the time and GPS position a photo carries."""

import hashlib
import math
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils import timezone
from PIL import ExifTags, Image, UnidentifiedImageError

from gaizao.core.models import Evidence
from gaizao.core.uploads import MB, check_upload

MAX_EVIDENCE_BYTES = 20 * MB
# photos (phones' HEIC too), scans and documents: what a case file holds; OFD is how e-receipts come
EVIDENCE_TYPES = tuple(".jpg .jpeg .png .gif .webp .heic .heif .pdf .ofd .docx .doc .xlsx .xls".split())
PHOTO_TYPES = tuple(".jpg .jpeg .png .webp .heic .heif".split())
MAX_PUBLIC_PHOTO_BYTES = 10 * MB  # what the public sends from a phone
# shown in the browser; anything else is downloaded, never rendered as a page of ours
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def _degrees(values, ref: str) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if not math.isfinite(degrees) or not 0 <= degrees <= 180:
        return None  # a camera without a GPS fix writes 0/0
    value = Decimal(str(degrees)).quantize(Decimal("0.000001"))
    return -value if ref in ("S", "W") else value


def photo_metadata(upload) -> tuple[datetime | None, Decimal | None, Decimal | None]:
    """(taken at, latitude, longitude) from a photo's EXIF; Nones for files that carry none."""
    try:
        upload.seek(0)
        exif = Image.open(upload).getexif()
    except (UnidentifiedImageError, OSError):
        return None, None, None
    finally:
        upload.seek(0)
    taken_at = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if raw:
        try:
            taken_at = timezone.make_aware(datetime.strptime(str(raw).strip("\x00"), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            taken_at = None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude = longitude = None
    if gps.get(ExifTags.GPS.GPSLatitude) and gps.get(ExifTags.GPS.GPSLongitude):
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    if latitude is None or longitude is None:
        return taken_at, None, None
    return taken_at, latitude, longitude


def evidence_create(
    *, by, upload: UploadedFile, allowed=EVIDENCE_TYPES, max_bytes: int = MAX_EVIDENCE_BYTES, what: str = "佐证文件"
) -> Evidence:
    """Refuses (UploadRefused, a ValueError and a ValidationError) a file too large, or not what its name says."""
    file_type = check_upload(upload, allowed=allowed, max_bytes=max_bytes, what=what)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    taken_at, latitude, longitude = photo_metadata(upload)
    return Evidence.objects.create(
        file=upload,
        name=upload.name[:255],
        sha256=digest.hexdigest(),
        size=upload.size,
        content_type=file_type.content_type,  # what the bytes are, not what the browser said
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        uploaded_by=by,
    )


def uploaded_evidence(request, field: str = "evidence") -> Evidence | None:
    """The form's uploaded file stored as evidence, or None; a file refused (too large…) is the form's error."""
    upload = request.FILES.get(field)
    if upload is None:
        return None
    return evidence_create(by=request.user, upload=upload)


def evidence_response(evidence: Evidence | None) -> FileResponse:
    """The file, in a sandbox: a photo or PDF shown inline, anything else as a download."""
    if evidence is None:
        raise Http404("没有佐证材料")
    inline = evidence.content_type in INLINE_TYPES
    response = FileResponse(
        evidence.file.open("rb"),
        filename=evidence.name,
        as_attachment=not inline,
        content_type=evidence.content_type if inline else "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
