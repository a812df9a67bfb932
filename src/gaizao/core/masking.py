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
