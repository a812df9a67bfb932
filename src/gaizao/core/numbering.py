"""Case numbers such as WJ007-2026-00012: letters, the district, the year and a running number."""

from django.db import models


def next_code(model: type[models.Model], letters: str, district, year: int) -> str:
    """The next free number of `model` (its `code` field) in the district and year; call inside a transaction."""
    type(district).objects.select_for_update().filter(pk=district.pk).first()  # one numbering at a time
    prefix = f"{letters}{district.pk:03d}-{year}-"
    last = model.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}"
