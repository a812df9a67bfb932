"""Readable lines for the event timeline: field names and choices as the office says them, personal data masked.

A change of an ID number or phone is stored encrypted (`sealed`), so the timeline keeps no second plain copy."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist

from gaizao.core.crypto import PREFIX, decrypt, encrypt
from gaizao.core.masking import MASKS
from gaizao.ledger.models import Household, Property

LABELS = {"members": "家庭成员"}


def sealed(changes: dict[str, list]) -> dict[str, list]:
    """An event's changes with the old and new ID number and phone encrypted; the same mapping if it has none."""
    personal = [name for name in MASKS if name in changes]
    if not personal:
        return changes
    return changes | {name: [encrypt(v) if v else v for v in changes[name]] for name in personal}


def _opened(value: Any) -> str:
    text = str(value)
    return decrypt(text) if text.startswith(PREFIX) else text


def _field(model, name: str):
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:  # an extra column, or a field since removed
        return None
    return field if field.concrete else None  # "members" and the like: a relation, not a field


def _show(field, name: str, value: Any, reveal: bool) -> str:
    if value in (None, ""):
        return "空"
    if name in MASKS:
        return _opened(value) if reveal else MASKS[name](_opened(value))
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def _line(model, name: str, old: Any, new: Any, reveal: bool, prefix: str = "") -> str:
    field = _field(model, name)
    label = str(field.verbose_name) if field is not None else LABELS.get(name, name)
    return f"{prefix}{label}：{_show(field, name, old, reveal)} → {_show(field, name, new, reveal)}"


def describe(changes: dict[str, list], *, reveal: bool = False) -> list[str]:
    lines = []
    for key, (old, new) in changes.items():
        if not key.startswith("properties."):
            lines.append(_line(Household, key, old, new, reveal))
            continue
        parts = key.split(".")
        if len(parts) == 2:
            lines.append(f"新增房屋{parts[1]}：{new or ''}")
        else:
            lines.append(_line(Property, parts[2], old, new, reveal, prefix=f"房屋{parts[1]}·"))
    return lines
