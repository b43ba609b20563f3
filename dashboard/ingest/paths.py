"""The files a command line names: files, folders (searched recursively) and glob patterns.

Folders are walked following symbolic links, but each real folder once, so a link loop
(``d/sub/loop -> d``) ends; a folder that cannot be read is reported, never skipped in silence;
a file named explicitly whose suffix we do not read is refused with a sentence. The folders the
command line names are the only places an event's ``article_file`` may point into.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from dashboard.ingest.problems import Problem
from dashboard.ingest.readers import SUPPORTED, kind_of, unknown_suffix


def expand_paths(patterns: Iterable[str]) -> tuple[list[Path], list[Problem], list[Path]]:
    """``(files in order, problems, roots)``: the roots are the folders given (a file's own folder,
    a glob's fixed part), resolved, under which an event's ``article_file`` may be read."""
    files: list[Path] = []
    problems: list[Problem] = []
    roots: list[Path] = []
    for pattern in patterns:
        if glob.has_magic(pattern) and not os.path.lexists(pattern):  # "report[1].txt" that exists is a name
            base = _fixed_part(pattern)
            roots.append(Path(base).resolve())
            matches = list(_glob(pattern, base, problems))
        else:
            matches = [Path(pattern)]
        if not matches:
            problems.append(Problem(pattern, "no such file or folder"))
        for path in matches:
            literal = matches == [Path(pattern)]
            if path.is_dir():
                if literal:
                    roots.append(path.resolve())
                files.extend(sorted(p for p in walk(path, problems) if p.suffix.lower() in SUPPORTED))
            elif path.is_file():
                if literal:
                    roots.append(path.resolve().parent)
                if kind_of(path) is None:
                    problems.append(Problem(str(path), unknown_suffix(path)))
                else:
                    files.append(path)
            elif literal:
                problems.append(Problem(pattern, "no such file or folder"))
    return sorted(dict.fromkeys(files)), problems, list(dict.fromkeys(roots))


def walk(folder: Path, problems: list[Problem]) -> Iterator[Path]:
    """Every file under ``folder``, following links to folders but entering each real folder once."""
    def unreadable(err: OSError) -> None:
        problems.append(Problem(str(err.filename or folder), f"cannot be read ({err.strerror or err}); its files "
                                "are not ingested"))

    try:
        st = os.stat(folder)
    except OSError as exc:
        unreadable(exc)
        return
    seen = {(st.st_dev, st.st_ino)}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True, onerror=unreadable):
        keep = []
        for name in sorted(dirnames):
            try:
                sub = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue  # a dangling link
            if (sub.st_dev, sub.st_ino) not in seen:
                seen.add((sub.st_dev, sub.st_ino))
                keep.append(name)
        dirnames[:] = keep
        for name in filenames:
            path = Path(dirpath, name)
            if path.is_file():
                yield path


def _fixed_part(pattern: str) -> str:
    parts = []
    for part in pattern.split(os.sep):
        if glob.has_magic(part):
            break
        parts.append(part)
    return os.sep.join(parts) or ("." if not pattern.startswith(os.sep) else os.sep)


def _glob(pattern: str, base: str, problems: list[Problem]) -> Iterator[Path]:
    """Paths matching ``pattern``; ``**`` (any folders) walked by :func:`walk`, so no link loop hangs it."""
    if "**" not in pattern:
        yield from sorted(Path(p) for p in glob.glob(pattern))
        return
    if not os.path.isdir(base):
        return
    regex = re.compile(_translate(pattern))
    for path in walk(Path(base), problems):
        if regex.fullmatch(str(path)):
            yield path


def _translate(pattern: str) -> str:
    """A glob pattern as a regular expression over paths (``**/`` any folders, ``*`` within one name)."""
    out, i = [], 0
    pattern = os.path.normpath(pattern) if not pattern.startswith("./") else pattern[2:]
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(r"(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append(r"[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)
