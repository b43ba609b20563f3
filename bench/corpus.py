"""Deterministic synthetic corpus for the benchmark: articles and events that say they are synthetic.

Nothing here describes a real event. Sentences come from templates such as "Officials in {town}
discussed {subject} with {org} representatives." filled from fixed lists of real place and
organisation names (so the tagger has real work), with no quotes and no named people: people
appear only as generic roles ("the Prime Minister of Montenegro"). Every record carries its
synthetic origin in its source fields:

* articles: outlet ``Synthetic Wire (benchmark data)``, url ``https://synthetic.invalid/...``,
  and a first sentence saying the text is synthetic;
* events: source_name ``synthetic benchmark data``, source_url ``https://synthetic.invalid/...``,
  titles starting "Synthetic", ``verification = machine``.

``imported_from`` is the JSONL file name, which always contains "synthetic".

The same ``(n, seed)`` always gives the same records: record ``i`` is drawn from its own
``random.Random(f"{seed}:a:{i}")`` (string seeds are hashed with SHA-512 by ``random``, so this
does not depend on ``PYTHONHASHSEED``), with no clock and no global state, so any slice of the
corpus can be regenerated alone. Each article also knows the countries its text names (through a
country name, a town, a sub-national place or a single-country mission such as KFOR):
``truth_countries``, used for the tagging F1.

Shape: about 1,000 words per article (triangular 300-1,500), 8 % undated, dates 2021-2025 in
day / month / quarter / year wording; a main country (weighted towards BA, XK, RS) and up to three
others; about 30 % of sentences name a place, most with an event cue, so the tagger extracts about
12 machine events per article; 3 % near-copies of an earlier article. Events: 10 % undated, the
rest at day (50 %), month (20 %), quarter (10 %) or year (10 %) precision; 75 % located at a town
centre with up to ~3 km of jitter; 30 % name a synthetic article by URL.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

CORPUS_VERSION = 1
OUTLET = "Synthetic Wire (benchmark data)"
SOURCE_NAME = "synthetic benchmark data"
URL_BASE = "https://synthetic.invalid"
DISCLAIMER = ("This is synthetic benchmark text generated from templates by bench/corpus.py; "
              "it describes no real event.")

# Countries: code -> (weight as the main country, names used in text with their weights).
COUNTRIES: dict[str, tuple[float, list[tuple[str, float]]]] = {
    "BA": (18, [("Bosnia and Herzegovina", 5), ("Bosnia", 3), ("BiH", 1)]),
    "XK": (16, [("Kosovo", 1)]),
    "RS": (16, [("Serbia", 1)]),
    "ME": (8, [("Montenegro", 1)]),
    "MK": (8, [("North Macedonia", 1)]),
    "AL": (8, [("Albania", 1)]),
    "HR": (5, [("Croatia", 1)]),
    "SI": (3, [("Slovenia", 1)]),
    "MD": (6, [("Moldova", 1)]),
    "RU": (4, [("Russia", 1)]),
    "BG": (1, [("Bulgaria", 1)]),
    "HU": (1, [("Hungary", 1)]),
    "RO": (1, [("Romania", 1)]),
    "GR": (1, [("Greece", 1)]),
    "DE": (1, [("Germany", 1)]),
    "TR": (1, [("Turkey", 1)]),
    "US": (1, [("the United States", 1)]),
}

# Towns: name as written, country, sub-national place code (or None), town-centre lat, lon.
TOWNS: list[tuple[str, str, str | None, float, float]] = [
    ("Sarajevo", "BA", "BA-BIH", 43.856, 18.413),
    ("Banja Luka", "BA", "BA-SRP", 44.772, 17.191),
    ("Mostar", "BA", "BA-BIH", 43.343, 17.808),
    ("Tuzla", "BA", "BA-BIH", 44.538, 18.676),
    ("Zenica", "BA", "BA-BIH", 44.203, 17.907),
    ("Bijeljina", "BA", "BA-SRP", 44.757, 19.216),
    ("Trebinje", "BA", "BA-SRP", 42.711, 18.344),
    ("Prijedor", "BA", "BA-SRP", 44.980, 16.710),
    ("Doboj", "BA", "BA-SRP", 44.732, 18.084),
    ("Brčko", "BA", "BA-BRC", 44.873, 18.811),
    ("Bihać", "BA", "BA-BIH", 44.817, 15.871),
    ("Pristina", "XK", None, 42.663, 21.166),
    ("Prizren", "XK", None, 42.213, 20.739),
    ("Peja", "XK", None, 42.659, 20.288),
    ("Gjilan", "XK", None, 42.464, 21.469),
    ("Ferizaj", "XK", None, 42.370, 21.155),
    ("North Mitrovica", "XK", "XK-NORTH", 42.893, 20.866),
    ("Zvečan", "XK", "XK-NORTH", 42.908, 20.840),
    ("Zubin Potok", "XK", "XK-NORTH", 42.914, 20.689),
    ("Leposavić", "XK", "XK-NORTH", 43.104, 20.803),
    ("Belgrade", "RS", None, 44.787, 20.457),
    ("Novi Sad", "RS", None, 45.267, 19.833),
    ("Niš", "RS", None, 43.320, 21.896),
    ("Kragujevac", "RS", None, 44.012, 20.911),
    ("Novi Pazar", "RS", None, 43.137, 20.512),
    ("Preševo", "RS", None, 42.309, 21.649),
    ("Podgorica", "ME", None, 42.441, 19.263),
    ("Nikšić", "ME", None, 42.773, 18.944),
    ("Cetinje", "ME", None, 42.390, 18.923),
    ("Budva", "ME", None, 42.288, 18.842),
    ("Pljevlja", "ME", None, 43.357, 19.358),
    ("Skopje", "MK", None, 41.998, 21.425),
    ("Tetovo", "MK", None, 42.010, 20.971),
    ("Bitola", "MK", None, 41.031, 21.334),
    ("Ohrid", "MK", None, 41.117, 20.802),
    ("Kumanovo", "MK", None, 42.132, 21.714),
    ("Tirana", "AL", None, 41.327, 19.819),
    ("Durrës", "AL", None, 41.323, 19.441),
    ("Shkodër", "AL", None, 42.068, 19.512),
    ("Vlorë", "AL", None, 40.466, 19.490),
    ("Elbasan", "AL", None, 41.112, 20.082),
    ("Zagreb", "HR", None, 45.815, 15.982),
    ("Rijeka", "HR", None, 45.327, 14.442),
    ("Osijek", "HR", None, 45.555, 18.695),
    ("Vukovar", "HR", None, 45.351, 19.002),
    ("Ljubljana", "SI", None, 46.056, 14.506),
    ("Maribor", "SI", None, 46.554, 15.646),
    ("Chișinău", "MD", None, 47.011, 28.864),
    ("Bălți", "MD", None, 47.762, 27.929),
    ("Comrat", "MD", "MD-GA", 46.300, 28.657),
    ("Tiraspol", "MD", "MD-SN", 46.840, 29.643),
    ("Bender", "MD", "MD-SN", 46.831, 29.478),
    ("Moscow", "RU", None, 55.756, 37.617),
    ("Sofia", "BG", None, 42.698, 23.322),
    ("Budapest", "HU", None, 47.498, 19.040),
    ("Athens", "GR", None, 37.984, 23.728),
    ("Berlin", "DE", None, 52.520, 13.405),
    ("Ankara", "TR", None, 39.934, 32.860),
    ("Bucharest", "RO", None, 44.427, 26.103),
    ("Washington", "US", None, 38.895, -77.036),
]
TOWNS_BY_COUNTRY: dict[str, list[tuple]] = {}
for _t in TOWNS:
    TOWNS_BY_COUNTRY.setdefault(_t[1], []).append(_t)

# Sub-national places named as such in text: (phrase, place code, country).
PLACES: list[tuple[str, str, str]] = [
    ("Republika Srpska", "BA-SRP", "BA"),
    ("the Federation of Bosnia and Herzegovina", "BA-BIH", "BA"),
    ("Brčko District", "BA-BRC", "BA"),
    ("North Kosovo", "XK-NORTH", "XK"),
    ("the northern Kosovo municipalities", "XK-NORTH", "XK"),
    ("Transnistria", "MD-SN", "MD"),
    ("Gagauzia", "MD-GA", "MD"),
]
PLACES_BY_COUNTRY: dict[str, list[tuple]] = {}
for _p in PLACES:
    PLACES_BY_COUNTRY.setdefault(_p[2], []).append(_p)

# Organisations (canonical value, text form, country they are bound to or None).
ORGS: list[tuple[str, str, str | None]] = [
    ("NATO", "NATO", None),
    ("KFOR", "KFOR", "XK"),
    ("EUFOR Althea", "EUFOR Althea", "BA"),
    ("EU", "the EU", None),
    ("European Commission", "the European Commission", None),
    ("OSCE", "the OSCE", None),
    ("UN", "the UN", None),
    ("OHR", "the Office of the High Representative", "BA"),
    ("EULEX", "EULEX", "XK"),
    ("Council of Europe", "the Council of Europe", None),
    ("IMF", "the IMF", None),
    ("World Bank", "the World Bank", None),
    ("EBRD", "the EBRD", None),
    ("UNMIK", "UNMIK", "XK"),
    ("Frontex", "Frontex", None),
]
ORGS_FOR: dict[str, list[tuple]] = {}
for _o in ORGS:
    ORGS_FOR.setdefault(_o[2] or "*", []).append(_o)

# Generic roles only (no personal names): "{role} of {country}".
ROLES = ["Prime Minister", "Foreign Minister", "Interior Minister", "Energy Minister", "Defence Minister",
         "President", "Finance Minister"]

TOPICS: dict[str, list[str]] = {
    "security": ["border security", "police patrols", "checkpoints", "security cooperation"],
    "military": ["troop rotations", "military exercises", "air defence", "peacekeeping troops"],
    "politics": ["the coalition agreement", "a no-confidence vote", "constitutional amendments",
                 "the government reshuffle"],
    "separatism": ["the secession referendum", "calls for independence", "separatist rhetoric"],
    "energy": ["gas supplies", "the gas pipeline", "electricity prices", "the power plant"],
    "diplomacy": ["the normalisation agreement", "bilateral talks", "the peace agreement", "an envoy visit"],
    "economy": ["the state budget", "foreign investment", "inflation", "the minimum wage"],
    "elections": ["local elections", "the election results", "voter lists", "the electoral law"],
    "protest": ["street protests", "a rally", "demonstrators", "a road blockade"],
    "crime": ["a corruption investigation", "organised crime", "an indictment", "smuggling"],
    "ethnic-relations": ["minority rights", "the ethnic minority", "reconciliation", "returnees"],
    "eu-integration": ["accession talks", "the accession process", "candidate status", "EU membership"],
}
TOPIC_NAMES = list(TOPICS)
TOPIC_WEIGHTS = [14, 8, 16, 5, 8, 12, 9, 7, 6, 6, 4, 9]

NOUNS = ["budget", "road", "school", "court", "hospital", "water supply", "customs office", "licence plates",
         "railway line", "tax office", "registry", "port", "airport", "bridge", "tunnel", "power line",
         "housing plan", "pension fund", "land registry", "border crossing", "bus network", "university",
         "broadcaster", "audit", "tender", "permit", "census", "municipal plan", "water tariff", "grant",
         "loan", "survey", "inspection", "training course", "archive", "heating plant", "mine", "factory",
         "farm subsidy", "fire service", "ambulance service", "courthouse", "museum", "library",
         "sports hall", "market", "warehouse", "dam", "canal", "wind farm", "solar park", "landfill",
         "sewage plant", "highway", "ferry", "vineyard", "forest", "quarry", "clinic", "stadium"]
ADJS = ["regional", "municipal", "revised", "delayed", "contested", "joint", "annual", "technical", "new",
        "draft", "provisional", "long-term", "local", "cross-border", "interim", "second", "updated",
        "preliminary", "modest", "expanded", "reduced", "urgent", "routine", "scheduled", "multi-year",
        "pilot", "temporary", "permanent", "smaller", "larger", "detailed", "simplified", "shared"]
ACTIONS = ["review", "extend", "suspend", "approve", "fund", "inspect", "renovate", "audit", "relocate",
           "reorganise", "publish", "postpone", "expand", "reduce", "simplify", "digitise", "merge"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# Syllables for fictional project and company names ("the Tavoreni bridge"): thousands of distinct
# words, as real reporting has, so unrelated articles do not look like near-copies to SimHash.
SYLLABLES = ["ta", "vo", "re", "ni", "lu", "ma", "ko", "da", "se", "mi", "ra", "po", "li", "ve", "no", "ka",
             "to", "be", "ri", "sa", "mo", "de", "la", "zu", "ne", "fi", "go", "he", "ju", "ba"]
THING_NAMED_SHARE = 0.5
UNITS = ["percent", "kilometres", "households", "applications", "staff", "vehicles", "complaints", "projects"]

D0 = date(2021, 1, 1)
D1 = date(2025, 12, 31)
SPAN_DAYS = (D1 - D0).days
GEO_SHARE = 0.3  # share of sentences that name a place (most carry an event cue)


@dataclass
class Article:
    """One synthetic article record plus the countries its text really names."""

    record: dict
    truth_countries: set[str] = field(default_factory=set)
    truth_places: set[str] = field(default_factory=set)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


# Plain words of the templates and their alternatives: real reporting varies its wording, and a
# corpus that repeats the same connecting words would look near-identical to SimHash.
SYNONYMS: dict[str, list[str]] = {
    "officials": ["officials", "authorities", "local leaders", "administrators", "civil servants", "councillors"],
    "discussed": ["discussed", "reviewed", "went over", "talked about", "examined", "debated"],
    "representatives": ["representatives", "delegates", "staff", "envoys", "experts", "advisers"],
    "review": ["review", "assess", "check", "look at", "go through", "examine"],
    "reported": ["reported", "counted", "listed", "noted", "recorded", "found"],
    "linked": ["linked", "related", "connected", "tied", "attributed"],
    "asked": ["asked", "called", "pressed", "petitioned", "lobbied"],
    "changes": ["changes", "amendments", "revisions", "adjustments", "improvements"],
    "report": ["report", "study", "assessment", "paper", "memo", "audit note"],
    "lists": ["lists", "names", "counts", "covers", "sets out", "includes"],
    "items": ["items", "points", "issues", "entries", "measures", "questions"],
    "concern": ["concern", "relate to", "touch on", "involve", "deal with", "cover"],
    "figures": ["figures", "numbers", "statistics", "data", "totals", "counts"],
    "earlier": ["earlier", "before", "ago", "previously"],
    "work": ["work", "progress", "construction", "preparation", "planning", "repair work"],
    "schedule": ["schedule", "timetable", "calendar", "plan", "programme"],
    "weeks": ["weeks", "days", "months", "working days"],
    "group": ["group", "panel", "committee", "team", "commission", "task force"],
    "looked": ["looked", "worked", "focused", "concentrated", "reported"],
    "sessions": ["sessions", "meetings", "rounds", "hearings", "workshops"],
    "observers": ["observers", "monitors", "inspectors", "auditors", "analysts", "volunteers"],
    "previous": ["previous", "last", "earlier", "first", "prior"],
    "round": ["round", "review", "survey", "count", "period"],
    "cost": ["cost", "price", "budget", "bill", "outlay", "expense"],
    "participants": ["participants", "people", "residents", "marchers", "attendees"],
    "plan": ["plan", "proposal", "scheme", "programme", "initiative", "decision"],
    "compared": ["compared", "exchanged", "shared", "swapped", "reviewed"],
    "notes": ["notes", "views", "experience", "findings", "positions"],
    "counterparts": ["counterparts", "officials", "partners", "colleagues", "hosts"],
    "local": ["local", "municipal", "regional", "town", "city", "district"],
    "media": ["media", "newspapers", "broadcasters", "radio stations", "news sites", "reporters"],
    "agreement": ["agreement", "accord", "arrangement", "understanding", "interim accord", "outline accord"],
}


def _vary(rng: random.Random, sentence: str) -> str:
    words = sentence.split(" ")
    for k, word in enumerate(words):
        core = word.rstrip(".,")
        tail = word[len(core):]
        alts = SYNONYMS.get(core.lower())
        if alts:
            alt = alts[rng.randrange(len(alts))]
            words[k] = (alt[0].upper() + alt[1:] if core[0].isupper() else alt) + tail
    return " ".join(words)


_BLOCKED: set[str] | None = None


def _blocked_names() -> set[str]:
    """Lower-case words a fictional name must not be: gazetteer aliases and country names.

    Without this, syllables make real names ("Lima", "Juba", "Togo", "Mali") and the taggers
    would rightly find countries that the generator does not count as named.
    """
    global _BLOCKED
    if _BLOCKED is None:
        blocked: set[str] = set()
        gazetteer = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "gazetteer.json"
        if gazetteer.exists():
            data = json.loads(gazetteer.read_text(encoding="utf-8"))
            blocked |= {k for k in data.get("aliases", {}) if " " not in k}
            blocked |= {n.lower() for n in data.get("countries", {}).values()}
        try:
            import pycountry

            for c in pycountry.countries:
                blocked |= {getattr(c, a, "").lower() for a in ("name", "common_name", "official_name")}
        except ImportError:  # pragma: no cover - pycountry is a project dependency
            pass
        _BLOCKED = blocked
    return _BLOCKED


def _pseudo_name(rng: random.Random) -> str:
    while True:
        name = "".join(SYLLABLES[rng.randrange(len(SYLLABLES))] for _ in range(rng.randint(2, 4)))
        if name not in _blocked_names():
            return name.capitalize()


def _pick(rng: random.Random, items, weights=None):
    return rng.choices(items, weights=weights, k=1)[0] if weights else items[rng.randrange(len(items))]


_COUNTRY_CODES = list(COUNTRIES)
_COUNTRY_W = [COUNTRIES[c][0] for c in _COUNTRY_CODES]


def _country_name(rng: random.Random, code: str) -> str:
    names = COUNTRIES[code][1]
    return _pick(rng, [n for n, _ in names], [w for _, w in names])


def _rand_date(rng: random.Random) -> date:
    return D0 + timedelta(days=rng.randrange(SPAN_DAYS + 1))


def _date_phrase(rng: random.Random, around: date | None) -> str:
    d = around or _rand_date(rng)
    d = min(D1, max(D0, d + timedelta(days=rng.randint(-40, 40))))
    kind = rng.random()
    if kind < 0.45:
        return f"on {d.day} {MONTHS[d.month - 1]} {d.year}"
    if kind < 0.75:
        return f"in {MONTHS[d.month - 1]} {d.year}"
    if kind < 0.9:
        return f"in the {['first', 'second', 'third', 'fourth'][(d.month - 1) // 3]} quarter of {d.year}"
    return f"in {d.year}"


class _Writer:
    """Builds one article's sentences while recording the countries and places they name."""

    def __init__(self, rng: random.Random, main: str, others: list[str], published: date | None):
        self.rng = rng
        self.main = main
        self.others = others
        self.published = published
        self.countries: set[str] = set()
        self.places: set[str] = set()

    def country(self) -> str:
        rng = self.rng
        code = self.main if (not self.others or rng.random() < 0.6) else _pick(rng, self.others)
        self.countries.add(code)
        return _country_name(rng, code)

    def town(self) -> tuple[str, str]:
        rng = self.rng
        code = self.main if (not self.others or rng.random() < 0.7) else _pick(rng, self.others)
        towns = TOWNS_BY_COUNTRY.get(code)
        if not towns:
            return self.country(), code
        name, cc, place, _lat, _lon = _pick(rng, towns)
        self.countries.add(cc)
        if place:
            self.places.add(place)
        return name, cc

    def place(self) -> str:
        rng = self.rng
        candidates = PLACES_BY_COUNTRY.get(self.main) or [p for o in self.others for p in PLACES_BY_COUNTRY.get(o, [])]
        if not candidates:
            return self.town()[0]
        phrase, code, cc = _pick(rng, candidates)
        self.countries.add(cc)
        self.places.add(code)
        return phrase

    def org(self) -> str:
        rng = self.rng
        pool = ORGS_FOR["*"] + ORGS_FOR.get(self.main, [])
        _value, text, country = _pick(rng, pool)
        if country:  # KFOR, EUFOR Althea, EULEX...: a mission in one country counts as naming it
            self.countries.add(country)
        return text

    def subject(self, topic: str | None = None) -> str:
        return _pick(self.rng, TOPICS[topic or _pick(self.rng, TOPIC_NAMES, TOPIC_WEIGHTS)])

    def thing(self) -> str:
        rng = self.rng
        if rng.random() < THING_NAMED_SHARE:  # named projects and firms: fictional, and many of them
            return f"the {_pseudo_name(rng)} {_pick(rng, NOUNS)}"
        return f"the {_pick(rng, ADJS)} {_pick(rng, NOUNS)}"

    def when(self) -> str:
        return _date_phrase(self.rng, self.published)

    def two_countries(self) -> tuple[str, str]:
        first = self.country()
        for _ in range(5):
            second = self.country()
            if second != first:
                return first, second
        code = "RS" if self.main != "RS" else "XK"
        self.countries.add(code)
        return first, _country_name(self.rng, code)

    def sentence(self, topic: str) -> str:
        """One sentence: about a third name places (most of them carry an event cue), the rest is filler."""
        rng = self.rng
        n = rng.randint(2, 480)
        if rng.random() < GEO_SHARE:
            r = rng.random()
            if r < 0.14:
                return f"Officials in {self.town()[0]} discussed {self.subject(topic)} with {self.org()} representatives {self.when()}."
            if r < 0.24:
                return f"{_cap(self.org())} representatives met local officials in {self.town()[0]} to review {self.thing()} and {self.thing()}."
            if r < 0.33:
                return f"The {_pick(rng, ROLES)} of {self.country()} announced a plan to {_pick(rng, ACTIONS)} {self.thing()} {self.when()}."
            if r < 0.41:
                return f"A protest over {self.thing()} took place in {self.town()[0]} {self.when()}, with about {n * 10} participants."
            if r < 0.49:
                return f"{self.country()} is expected to {_pick(rng, ACTIONS)} {self.thing()} by the end of {rng.randint(2022, 2026)}."
            if r < 0.55:
                a, b = self.two_countries()
                return f"Talks between {a} and {b} on {self.subject(topic)} are ongoing."
            if r < 0.66:
                return f"Local media in {self.town()[0]} reported {n} {_pick(rng, UNITS)} linked to {self.thing()}."
            if r < 0.73:
                return f"Authorities in {self.place()} signed an agreement on {self.subject(topic)} {self.when()}."
            if r < 0.83:
                return f"Residents of {self.place()} asked for changes to {self.thing()} and {self.thing()}."
            if r < 0.91:
                return f"{_cap(self.org())} said it would {_pick(rng, ACTIONS)} {self.thing()} in {self.town()[0]}."
            return f"A delegation from {self.country()} compared notes on {self.subject(topic)} with counterparts in {self.town()[0]}."
        # Filler without places: numbers and plain vocabulary, as in real reporting.
        f = rng.random()
        if f < 0.2:
            return (f"The {_pick(rng, ADJS)} figures for {_pick(rng, MONTHS)} were {rng.randint(1, 40)} "
                    f"{_pick(rng, UNITS)} {'higher' if rng.random() < 0.5 else 'lower'} than a year earlier.")
        if f < 0.4:
            return (f"The {_pick(rng, ADJS)} report on {self.thing()} lists {n} items, and {rng.randint(1, 30)} of "
                    f"them concern {self.thing()}.")
        if f < 0.55:
            return (f"Work on {self.thing()} went on, while {self.thing()} was put on a {_pick(rng, ADJS)} "
                    f"schedule of {rng.randint(2, 19)} weeks.")
        if f < 0.7:
            return (f"A {_pick(rng, ADJS)} working group looked at {self.subject(topic)} and at {self.thing()} "
                    f"over {rng.randint(2, 12)} sessions.")
        if f < 0.85:
            return (f"Observers counted {n} {_pick(rng, UNITS)} in the {_pick(rng, ADJS)} review of {self.thing()}, "
                    f"against {rng.randint(2, 480)} in the previous round.")
        return (f"The cost of {self.thing()} is put at {rng.randint(1, 900)} million, "
                f"{rng.randint(2, 60)} percent of it for {self.thing()}.")


def make_article(rng: random.Random, i: int, seed: int) -> Article:
    """Article number ``i``: about 1,000 words (300-1,500), a main country and up to three others."""
    main = _pick(rng, _COUNTRY_CODES, _COUNTRY_W)
    others = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        c = _pick(rng, _COUNTRY_CODES, _COUNTRY_W)
        if c != main and c not in others:
            others.append(c)
    published = None if rng.random() < 0.08 else _rand_date(rng)
    topic = _pick(rng, TOPIC_NAMES, TOPIC_WEIGHTS)
    w = _Writer(rng, main, others, published)
    target = max(300, min(1500, int(rng.triangular(300, 1500, 1050))))
    title_where = w.town()[0] if rng.random() < 0.5 else w.country()
    title = f"Synthetic report {i}: {w.subject(topic)} in {title_where}"
    paragraphs = [DISCLAIMER]
    words = 0
    while words < target:
        para = " ".join(_vary(rng, w.sentence(topic)) for _ in range(rng.randint(3, 6)))
        paragraphs.append(para)
        words += para.count(" ") + 1
    body = "\n\n".join(paragraphs)
    record = {
        "type": "article",
        "title": title,
        "url": f"{URL_BASE}/articles/{seed}/{i}",
        "outlet": OUTLET,
        "published": published.isoformat() if published else None,
        "body": body,
    }
    return Article(record, w.countries, w.places)


def make_event(rng: random.Random, i: int, seed: int, article_urls: list[str] | None = None) -> dict:
    """Event number ``i``: mixed statuses and date precisions, some undated, most located at a town."""
    main = _pick(rng, _COUNTRY_CODES, _COUNTRY_W)
    town = _pick(rng, TOWNS_BY_COUNTRY[main])
    name, cc, place, lat, lon = town
    topic = _pick(rng, TOPIC_NAMES, TOPIC_WEIGHTS)
    status = _pick(rng, ["occurred", "ongoing", "statement", "expected"], [55, 15, 15, 15])
    p = rng.random()
    d = _rand_date(rng)
    if p < 0.10:
        start = end = precision = date_text = None
    elif p < 0.60:
        start = end = d
        precision, date_text = "day", f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif p < 0.80:
        start = d.replace(day=1)
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        precision, date_text = "month", f"{MONTHS[d.month - 1]} {d.year}"
    elif p < 0.90:
        q = (d.month - 1) // 3
        start = date(d.year, 3 * q + 1, 1)
        end = (date(d.year, 3 * q + 3, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        precision, date_text = "quarter", f"Q{q + 1} {d.year}"
    else:
        start, end = date(d.year, 1, 1), date(d.year, 12, 31)
        precision, date_text = "year", f"by the end of {d.year}" if status == "expected" else str(d.year)
    countries = [cc]
    if rng.random() < 0.25:
        other = _pick(rng, _COUNTRY_CODES, _COUNTRY_W)
        if other != cc:
            countries.append(other)
    places = [place] if place else []
    if not places and rng.random() < 0.15 and PLACES_BY_COUNTRY.get(cc):
        places = [_pick(rng, PLACES_BY_COUNTRY[cc])[1]]
    actors = sorted({_pick(rng, ORGS)[0] for _ in range(rng.randint(0, 2))})
    g = rng.random()
    if g < 0.75:  # a town centre, jittered by up to ~3 km
        ev_lat, ev_lon, geo = round(lat + rng.uniform(-0.03, 0.03), 5), round(lon + rng.uniform(-0.03, 0.03), 5), "town"
        location = name
    else:
        ev_lat = ev_lon = geo = None
        location = None if g < 0.9 else _country_name(rng, cc)
    subject = _pick(rng, TOPICS[topic])
    rec = {
        "type": "event",
        "id": f"syn-{seed}-{i:07d}",
        "title": f"Synthetic {status} development on {subject} ({name})",
        "summary": f"Synthetic benchmark record {i}: a {topic} item ({precision or 'undated'} precision) set in {name}. "
                   f"Not a real development.",
        "date_start": start.isoformat() if start else None,
        "date_end": end.isoformat() if end else None,
        "date_precision": precision,
        "date_text": date_text,
        "status": status,
        "category": topic,
        "topics": sorted({topic, _pick(rng, TOPIC_NAMES, TOPIC_WEIGHTS)}),
        "countries": countries,
        "places": places,
        "actors": actors,
        "location": location,
        "lat": ev_lat,
        "lon": ev_lon,
        "geo_precision": geo,
        "source_url": f"{URL_BASE}/events/{seed}/{i}",
        "source_name": SOURCE_NAME,
        "evidence": f"Synthetic sentence: officials in {name} worked on {subject}.",
        "verification": "machine",
        "confidence": round(rng.uniform(0.5, 0.95), 2),
    }
    if article_urls and rng.random() < 0.3:
        rec["article_url"] = _pick(rng, article_urls)
    return rec


NEAR_COPY_SHARE = 0.03  # syndicated copies: an earlier article with a new title and one sentence changed


def article(i: int, seed: int) -> Article:
    """Article ``i`` of the corpus with ``seed``; depends only on ``(seed, i)``.

    About 3 % are near-copies of an earlier article (as syndicated wire stories are), so the
    near-duplicate linking does real work; their URL and content hash still differ.
    """
    rng = random.Random(f"{seed}:a:{i}")
    if i > 0 and rng.random() < NEAR_COPY_SHARE:
        j = rng.randrange(i)
        original = article(j, seed)
        rec = dict(original.record)
        paragraphs = rec["body"].split("\n\n")
        sentences = paragraphs[-1].split(". ")
        sentences[-1] = (f"The {_pick(rng, ADJS)} figures for {_pick(rng, MONTHS)} were {rng.randint(1, 40)} "
                         f"{_pick(rng, UNITS)} higher than a year earlier.")
        paragraphs[-1] = ". ".join(sentences)
        rec["body"] = "\n\n".join(paragraphs)
        rec["title"] = f"Synthetic report {i} (copy of {j}): " + original.record["title"].split(": ", 1)[1]
        rec["url"] = f"{URL_BASE}/articles/{seed}/{i}"
        return Article(rec, set(original.truth_countries), set(original.truth_places))
    return make_article(rng, i, seed)


def iter_articles(n: int, seed: int, start: int = 0) -> Iterator[Article]:
    """Articles ``start`` .. ``n-1``."""
    for i in range(start, n):
        yield article(i, seed)


def iter_events(n: int, seed: int, n_articles: int = 0) -> Iterator[dict]:
    """Events 0 .. ``n-1``; about 30 % refer to one of the first ``n_articles`` articles by URL."""
    for i in range(n):
        rng = random.Random(f"{seed}:e:{i}")
        urls = None
        if n_articles and rng.random() < 0.3:
            urls = [f"{URL_BASE}/articles/{seed}/{rng.randrange(n_articles)}"]
        yield make_event(rng, i, seed, urls)


def write_corpus(folder: Path, n_articles: int, n_events: int, seed: int, shards: int = 2,
                 progress=None) -> tuple[list[Path], list[Path]]:
    """Write articles and events as JSONL shards (``synthetic-articles-K.jsonl``, ``synthetic-events-K.jsonl``)."""
    folder.mkdir(parents=True, exist_ok=True)
    art_paths = [folder / f"synthetic-articles-{k}.jsonl" for k in range(shards)]
    ev_paths = [folder / f"synthetic-events-{k}.jsonl" for k in range(shards)]
    outs = [p.open("w", encoding="utf-8") for p in art_paths]
    try:
        for i, art in enumerate(iter_articles(n_articles, seed)):
            outs[i % shards].write(json.dumps(art.record, ensure_ascii=False) + "\n")
            if progress and (i + 1) % 5000 == 0:
                progress(i + 1, n_articles, "articles written")
    finally:
        for fh in outs:
            fh.close()
    outs = [p.open("w", encoding="utf-8") for p in ev_paths]
    try:
        for i, ev in enumerate(iter_events(n_events, seed, n_articles)):
            outs[i % shards].write(json.dumps(ev, ensure_ascii=False) + "\n")
    finally:
        for fh in outs:
            fh.close()
    return art_paths, ev_paths
