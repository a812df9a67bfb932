import logging
import re


def mask_name(name: str | None) -> str:
    text = (name or "").strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def _keep_ends(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def mask_id_number(id_number: str | None) -> str:
    text = (id_number or "").strip()
    if len(text) < 15:
        return "*" * len(text)
    return _keep_ends(text, 4, 4)


def mask_phone(phone: str | None) -> str:
    text = (phone or "").strip()
    if len(text) == 11 and text.isdigit() and text[0] == "1":
        return _keep_ends(text, 3, 4)
    if len(text) < 7:
        return "*" * len(text)
    if len(text) <= 8:
        return _keep_ends(text, 2, 2)
    return _keep_ends(text, 4, 2)


def mask_account(account: str | None) -> str:
    """A bank account: only its last four digits."""
    text = "".join((account or "").split())
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


# An ID number (18 digits, or the old 15) or a mobile number standing alone in a text: not part of a longer run
# of letters and digits such as a hash or a ciphertext.
_NUMBERS = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])")


# The personal values every record and change masks, by field name.
MASKS = {"id_number": mask_id_number, "phone": mask_phone, "account": mask_account}


def masked(values: dict) -> dict:
    """Personal data masked: a value, or an [old, new] pair of a change."""
    out = dict(values)
    for name, mask in MASKS.items():
        value = out.get(name)
        if isinstance(value, list):
            out[name] = [mask(v) if v else v for v in value]
        elif value:
            out[name] = mask(value)
    return out


def mask_numbers(text: str) -> str:
    """Every ID number and mobile number in a text masked, as in mask_id_number and mask_phone."""
    return _NUMBERS.sub(lambda m: mask_phone(m[0]) if len(m[0]) == 11 else mask_id_number(m[0].upper()), text)


class MaskedLogs(logging.Filter):
    """On the log handlers (settings.LOGGING): a line never carries a full ID number or mobile number, wherever it
    came from — a URL's query in the server's request line, a statement's parameters in the SQL log, an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        return True
