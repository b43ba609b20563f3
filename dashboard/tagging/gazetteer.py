"""Loads data/gazetteer/gazetteer.json (built by scripts/build_gazetteer.py) once per process."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER_PATH = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "gazetteer.json"


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry (the JSON keys, from scripts/build_gazetteer.py, are in brackets)."""

    index: int
    kind: str  # country demonym ethnic city place region org person roleword role
    value: str
    label: str
    country: str | None
    place: str | None
    weight: float | None  # ("w") country weight overriding the kind's default in SCORING
    requires: str | None  # ("req") a country/organisation that must be named elsewhere ("RS", "Split")
    ambiguity: str | None  # ("amb") the disambiguation rule: georgia | turkey | jordan | ethnicadj
    not_inside_name: bool  # ("nn") not when part of a personal name ("Michael Jordan", "Sofia Coppola")
    also_organisations: tuple[str, ...]  # ("also") organisations it implies (European Commission -> EU)
    role: str | None
    surname_alone: bool  # ("solo") the surname alone is enough, even without the full name


class Gazetteer:
    def __init__(self, data: dict):
        self.sources = data.get("sources", {})
        self.countries: dict[str, str] = data["countries"]
        self.places: dict[str, dict] = data["places"]
        self.entities: list[Entity] = []
        for i, e in enumerate(data["entities"]):
            also = tuple(a for a in (e.get("also") or "").split(",") if a)
            self.entities.append(Entity(
                i, e["kind"], e["value"], e.get("label") or e["value"], e.get("country"), e.get("place"),
                e.get("w"), e.get("req"), e.get("amb"), bool(e.get("nn")), also, e.get("role"), bool(e.get("solo")),
            ))
        # alias key -> tuple of (entity, case rule, short)
        self.aliases: dict[str, tuple] = {
            k: tuple((self.entities[i], rule, bool(short)) for i, rule, short in v) for k, v in data["aliases"].items()
        }
        self.topics: dict[str, tuple] = {k: tuple((t, w) for t, w in v) for k, v in data["topics"].items()}
        # case forms of one-word names ("Srbiju" -> "srbija"): form -> candidates of the base alias
        self.inflected: dict[str, tuple] = {}
        for form, base in data.get("inflections", {}).items():
            cands = tuple(c for c in self.aliases.get(base, ()) if c[0].kind in ("country", "city", "place", "person"))
            if cands:
                self.inflected[form] = cands
        self.alias_first = _first_index(self.aliases)
        self.topic_first = _first_index(self.topics)
        self.org_labels = {e.value: e.label for e in self.entities if e.kind == "org"}
        self.org_by_value = {}
        for e in self.entities:
            if e.kind == "org" and e.value not in self.org_by_value:
                self.org_by_value[e.value] = e


def _first_index(d: dict) -> dict[str, tuple[int, frozenset]]:
    """first token -> (longest key length in tokens, set of second tokens of the multi-token keys)."""
    maxlen: dict[str, int] = {}
    seconds: dict[str, set] = {}
    for key in d:
        toks = key.split(" ")
        maxlen[toks[0]] = max(maxlen.get(toks[0], 0), len(toks))
        sec = seconds.setdefault(toks[0], set())
        if len(toks) > 1:
            sec.add(toks[1])
    return {t: (maxlen[t], frozenset(seconds[t])) for t in maxlen}


@lru_cache(maxsize=1)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    p = Path(path or os.environ.get("BALKAN_WATCH_GAZETTEER") or GAZETTEER_PATH)
    with open(p, encoding="utf-8") as fh:
        return Gazetteer(json.load(fh))
