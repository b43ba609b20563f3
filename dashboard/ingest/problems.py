"""Problems found in input: one sentence naming the file, the line or record, and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input record. ``line`` is 1-based; ``None`` means the whole file."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    unit: str = "line"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, {self.unit} {self.line}"
        # a message that already starts with its column's name ("latitude 'abc' is not a number") says it
        named = self.field and self.message.split(" ", 1)[0] == self.field
        what = f"field '{self.field}': " if self.field and not named else ""
        return f"{where}: {what}{self.message}"


class RecordError(ValueError):
    """A record that cannot be stored; ``field`` names the culprit when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
