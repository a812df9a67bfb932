"""Page feedback for a service called from a form: its refusal becomes the message shown where the user lands.

A refusal of who is asking (PermissionDenied) is not feedback on the form: it answers 403, and is recorded."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

REFUSED = object()


def show_refusal(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, every reason it gave, as the message where the user lands."""
    messages.error(request, "；".join(error.messages))


def _attempt(request: HttpRequest, action: Callable[[], Any]) -> Any:
    try:
        result = action()
    except ValidationError as error:
        show_refusal(request, error)
        return REFUSED
    messages.success(request, "已保存")
    return result


def run_service(request: HttpRequest, action: Callable[[], Any]) -> bool:
    """True when the service did its work ("已保存"); False, with the refusal as the message, when it refused."""
    return _attempt(request, action) is not REFUSED


def service_result(request: HttpRequest, action: Callable[[], Any]) -> Any | None:
    """What the service made (to go to its page), or None, with the refusal as the message, when it refused."""
    result = _attempt(request, action)
    return None if result is REFUSED else result


def require_valid(form) -> None:
    """A form's errors, each named by its field's label, as the refusal run_service shows."""
    if not form.is_valid():
        raise ValidationError([f"{form.fields[name].label}：{errors[0]}" for name, errors in form.errors.items()])


def plain(value: Any) -> Any:
    """A value as JSON keeps it in events and frozen documents: amounts and dates as text, records by name."""
    if isinstance(value, Decimal | date):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def number_or_zero(value) -> int:
    """A record id from a form: what is not a whole number finds no record (0) instead of failing."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def form_day(value: str | None, label: str, *, required: bool = True) -> date | None:
    """A date typed in a form (YYYY-MM-DD); left empty, None where it may be; anything else refused, named."""
    text = (value or "").strip()
    if not text and not required:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}“{text}”不是日期（YYYY-MM-DD）") from None


def form_degrees(value, label: str, limit: int) -> Decimal | None:
    """A longitude (limit 180) or latitude (90) from a form, to six places; empty is None, anything else named."""
    if value in (None, ""):
        return None
    try:
        degrees = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError(f"{label}：“{value}”不是数值") from None
    if not degrees.is_finite() or not -limit <= degrees <= limit:
        raise ValidationError(f"{label}：应在 -{limit} 到 {limit} 度之间，填的是“{value}”")
    return degrees.quantize(Decimal("0.000001"))
