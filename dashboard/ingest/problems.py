"""Problems found in input: one sentence naming the file, the line or record, and the field."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: str) -> str:
    """A file name as it may be printed or stored: control characters, line breaks and bidi overrides
    escaped (``\\n``, ``\\x1b``, ``\\u202e``), a byte that is not UTF-8 (kept by Python as a
    lone surrogate) as ``\\xNN``; so no name can forge a line of a report or break its encoding. Applied twice it changes nothing more."""
    def escape(match: re.Match) -> str:
        ch = match.group()
        if ch in _NAMED:
            return _NAMED[ch]
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's "surrogateescape" of a byte that is not UTF-8
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, name)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input record. ``line`` is 1-based; ``None`` means the whole file."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    unit: str = "line"

    def __str__(self) -> str:
        file = shown(self.file)
        where = file if self.line is None else f"{file}, {self.unit} {self.line}"
        # a message that already starts with its column's name ("latitude 'abc' is not a number") says it
        named = self.field and self.message.split(" ", 1)[0] == self.field
        what = f"field '{self.field}': " if self.field and not named else ""
        return f"{where}: {what}{self.message}"


class RecordError(ValueError):
    """A record that cannot be stored; ``field`` names the culprit when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
