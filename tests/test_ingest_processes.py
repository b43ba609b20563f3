"""Processes of an ingest (issue 18): the workers of a parallel ingest end when their parent is killed,
and two ingests of the same folder at once both end well, each record stored exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Sarajevo", "Banja Luka", "Pristina", "Skopje", "Podgorica", "Tirana", "Belgrade", "Novi Sad"]


def _articles(n: int, tag: str = "") -> str:
    """JSON Lines of ``n`` synthetic articles (not news), each with its own URL and text."""
    lines = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        body = (f"Synthetic test text (not news) {tag}{i}. Officials in {place} met on the budget of the "
                f"municipality number {i} and {tag}discussed roads, schools and water supply. " * 12)
        lines.append(json.dumps({"type": "article", "title": f"Synthetic article {tag}{i}",
                                 "url": f"https://example.org/{tag}a{i}", "published": "2024-03-04",
                                 "body": body}))
    return "\n".join(lines) + "\n"


def _children(pid: int) -> set[int]:
    """The pids whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie, ended but not yet reaped by whoever adopted it, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_the_workers_of_a_parallel_ingest_end_when_their_parent_is_killed(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_text(_articles(400), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'kill.db'}"
    parent = subprocess.Popen([sys.executable, "-m", "dashboard", "--db", db, "ingest", "--workers", "2", str(source)],
                              cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, workers = time.monotonic() + 120, set()
        while time.monotonic() < deadline and parent.poll() is None:
            kids = {k for k in _children(parent.pid) if _alive(k)}
            grandkids = {g for k in kids for g in _children(k)}
            if len(kids) >= 2:  # the two workers (and the resource tracker) exist
                workers = kids | grandkids
                break
            time.sleep(0.05)
        assert workers, "the ingest ended or started no worker processes"
        time.sleep(0.5)
        workers |= {g for k in workers for g in _children(k)}
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = sorted(w for w in workers if _alive(w))
        assert not left, f"processes left running after their parent was killed: {left}"
    finally:
        for w in _children(parent.pid) | (workers if "workers" in dir() else set()):
            try:
                if _alive(w):
                    os.kill(w, signal.SIGKILL)
            except OSError:
                pass
        if parent.poll() is None:
            parent.kill()
