"""Where things are in a standard's TOML text — tomllib keeps no positions, so a small scanner finds them.

Places are keyed like the data: ("standard", "options"), ("constants", "rent_rate"), ("line", 3, "formula"),
("line", 3, "tiers", 1) for the second tier's "{", ("line", 3, "tiers", 1, "value") for its value."""

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\s*(\[\[?)\s*([\w.\-]+)\s*\]\]?")
_KEY = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([\w\-]+))\s*=\s*""", re.UNICODE)


@dataclass(frozen=True)
class Place:
    line: int  # 1-based
    column: int  # 1-based column of the key (or of the tier's "{")
    value_column: int = 0  # 1-based column where the value starts
    text: str = ""  # the physical line

    @property
    def position(self) -> tuple[int, int]:
        return self.line, self.column

    def string_columns(self) -> list[int]:
        """For a quoted value: the column of each character of the decoded text (escapes take several)."""
        if not self.value_column or self.value_column > len(self.text):
            return []
        start = self.value_column - 1
        quote = self.text[start]
        if quote not in "\"'":
            return list(range(self.value_column, len(self.text) + 1))
        columns, i = [], start + 1
        while i < len(self.text) and self.text[i] != quote:
            columns.append(i + 1)
            if quote == '"' and self.text[i] == "\\":
                i += 6 if self.text[i + 1 : i + 2] == "u" else 2
            else:
                i += 1
        columns.append(i + 1)  # the closing quote: where "the end of the formula" is
        return columns


class Locator:
    def __init__(self, source: str):
        self.places: dict[tuple, Place] = {}
        table: tuple = ()
        lines = 0
        tiers: tuple | None = None  # ("line", i, "tiers") while inside a tiers array
        count = -1
        for number, text in enumerate(source.splitlines(), start=1):
            if tiers is not None:
                tiers, count = self._tiers(number, text, 0, tiers, count)
                continue
            header = _HEADER.match(text)
            if header and not _KEY.match(text):
                if header.group(1) == "[[" and header.group(2) == "line":
                    table = ("line", lines)
                    lines += 1
                else:
                    table = (header.group(2),)
                self.places[table] = Place(number, _indent(text) + 1)
                continue
            key = _KEY.match(text)
            if not key or text.lstrip().startswith("#"):
                continue
            name = next(g for g in key.groups() if g is not None)
            self.places[(*table, name)] = Place(number, _indent(text) + 1, key.end() + 1, text)
            if name == "tiers" and table[:1] == ("line",):
                tiers, count = self._tiers(number, text, key.end(), (*table, "tiers"), -1)

    def _tiers(self, number: int, text: str, start: int, where: tuple, count: int) -> tuple[tuple | None, int]:
        """Scans a tiers array from `start`: each "{" opens the next tier; returns None once "]" closes it."""
        i, quote = start, None
        while i < len(text):
            char = text[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 1
                elif char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char == "{":
                count += 1
                self.places[(*where, count)] = Place(number, i + 1, 0, text)
            elif char == "]":
                return None, count
            elif char.isalpha() or char == "_":
                key = _KEY.match(text, i)
                if key and count >= 0:
                    name = next(g for g in key.groups() if g is not None)
                    self.places[(*where, count, name)] = Place(number, i + 1, key.end() + 1, text)
                    i = key.end()
                    continue
            i += 1
        return where, count

    def at(self, *key) -> Place:
        """The place of a key, else of its table, else nowhere (line 0)."""
        for size in range(len(key), 0, -1):
            if key[:size] in self.places:
                return self.places[key[:size]]
        return Place(0, 0)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())
