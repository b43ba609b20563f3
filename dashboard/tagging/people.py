"""Stage 3a, people: person tags from gazetteer names and role phrases, and the actor spans events use.

A role word combines with an adjacent qualifier (a country, demonym, place, town or organisation)
into a role label: "NATO Secretary General", "Prime Minister of Republika Srpska", "Serbian
president" -> "President of Serbia".  The label goes to the person named next to it ("NATO
Secretary General Jens Stoltenberg", "Stoltenberg, the NATO Secretary General"), or to the
capitalised name right after it when that is not in the gazetteer ("Foreign Minister Ivica Dačić"),
or, with no name anywhere, becomes a person tag whose value is the role itself ("the Prime
Minister of Republika Srpska", confidence 0.5) unless the same role is named elsewhere in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .disambiguation import NOT_NAME_WORDS
from .gazetteer import Gazetteer
from .matching import Mention, Scan
from .scoring import SCORING

# Kinds of mention that can qualify a role word ("Serbian" president, Prime Minister "of Kosovo").
QUALIFIER_KINDS = ("country", "demonym", "place", "org", "city")

ActorSpan = tuple[int, int, str]  # start, end, person value


@dataclass(slots=True)
class PersonTally:
    """Everything known about one person across the text."""

    value: str
    label: str
    role: str | None = None
    role_from_text: bool = False
    confidence: float = 0.0
    mentions: int = 0
    start: int | None = None
    end: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, start: int | None, end: int | None, confidence: float) -> None:
        self.mentions += 1
        self.confidence = max(self.confidence, confidence)
        if start is not None:
            self.spans.append((start, end))
            if self.start is None or start < self.start:
                self.start, self.end = start, end


def name_after(text: str, pos: int, covered_spans: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """A capitalised 2-3 word name right after ``pos`` ("... Foreign Minister Ivica Dačić said")."""
    lead = re.match(r"[ \t]*,?[ \t]*", text[pos:pos + 4])
    p = pos + (lead.end() if lead else 0)
    words = []
    for wm in re.finditer(r"[^\s,;:()\"“”]+", text[p:p + 80]):
        if wm.start() > 0 and text[p + wm.start() - 1] not in " \t":
            break
        if words and text[p + words[-1][2]:p + wm.start()].strip():
            break
        w = wm.group()
        core = w.rstrip(".’'s") if w.endswith(("’s", "'s")) else w.rstrip(".")
        if not core or not core[0].isupper() or not any(c.islower() for c in core) or core.lower() in NOT_NAME_WORDS:
            break
        ws, we = p + wm.start(), p + wm.start() + len(core)
        if any(a < we and ws < b for a, b in covered_spans):
            break
        words.append((core, wm.start(), wm.start() + len(core)))
        if len(words) == 3 or w != core:
            break
    if len(words) < 2:
        return None
    return " ".join(w for w, _, _ in words), p + words[0][1], p + words[-1][2]


def role_label(role: Mention, qualifier: Mention | None, gazetteer: Gazetteer) -> str | None:
    """The role word with its qualifier: "NATO Secretary General", "Prime Minister of Kosovo"."""
    if qualifier is None:
        return None
    role_value = role.entity.value
    q = qualifier.entity
    if qualifier.kind == "org":
        return f"{q.value} {role_value}"
    if qualifier.kind == "demonym":
        if q.place or not qualifier.country:
            return f"{q.label} {role_value.lower()}"
        return f"{role_value} of {gazetteer.countries.get(qualifier.country, q.label)}"
    if qualifier.kind == "place":
        return f"{role_value} of {gazetteer.places.get(q.value, {}).get('name', q.label)}"
    if qualifier.kind == "country":
        return f"{role_value} of {gazetteer.countries.get(q.value, q.label)}"
    if qualifier.kind == "city":
        return f"{role_value} of {q.label}"
    return None


class _PeopleFinder:
    """The role-phrase rules over the validated mentions of one text."""

    def __init__(self, mentions: list[Mention], scan: Scan, gazetteer: Gazetteer):
        self.mentions, self.gazetteer = mentions, gazetteer
        self.text, self.toks, self.norm = scan.doc.text, scan.tokens, scan.doc.norm
        self.by_first_token = {m.first_token: m for m in mentions}
        self.by_end_token = {m.end_token: m for m in mentions}
        self.covered = [(m.start, m.end) for m in mentions]
        self.people: dict[str, PersonTally] = {}
        self.actor_spans: list[ActorSpan] = []
        self.person_of_role: dict[str, str] = {}  # role label found in the text -> named person value
        self.unnamed_roles: list[tuple[str, int, int]] = []

    def gap_after(self, token: int) -> str:
        """The normalised text between token ``token - 1`` and token ``token``."""
        toks = self.toks
        return self.norm[toks[token - 1][2]:toks[token][1]] if 0 < token < len(toks) else ""

    def tally(self, value: str, label: str, role: str | None = None, role_from_text: bool = False) -> PersonTally:
        person = self.people.get(value)
        if person is None:
            person = self.people[value] = PersonTally(value, label, role, role_from_text)
        return person

    def add_gazetteer_people(self) -> None:
        for m in self.mentions:
            if m.kind == "person":
                person = self.tally(m.entity.value, m.entity.label, m.entity.role)
                person.add(m.start, m.end, SCORING.person_surname_confidence if m.is_short
                           else SCORING.person_full_name_confidence)
                self.actor_spans.append((m.start, m.end, m.entity.value))

    def qualifier_of(self, role: Mention) -> tuple[Mention | None, int, int]:
        """The qualifier of a role word and the token range of the whole phrase."""
        toks = self.toks
        first_tok, last_tok = role.first_token, role.end_token
        q = self.by_end_token.get(role.first_token)
        if q is None and role.first_token >= 2 and toks[role.first_token - 1][0] == "s":  # "NATO's Secretary General"
            q = self.by_end_token.get(role.first_token - 1)
        if q is not None and q.kind in QUALIFIER_KINDS and self.gap_after(q.end_token) in (" ", "'", "-") or (
                q is not None and q.kind in QUALIFIER_KINDS and q.end_token == role.first_token - 1):
            return q, q.first_token, last_tok
        if role.end_token < len(toks) and toks[role.end_token][0] == "of":  # "Prime Minister of (the) ..."
            k = role.end_token + 1
            if k < len(toks) and toks[k][0] == "the":
                k += 1
            q = self.by_first_token.get(k)
            if q is not None and q.kind in QUALIFIER_KINDS:
                return q, first_tok, q.end_token
        return None, first_tok, last_tok

    def person_next_to(self, first_tok: int, last_tok: int) -> Mention | None:
        """A gazetteer person right after the phrase, or before it followed by a comma."""
        toks, norm = self.toks, self.norm
        person = self.by_first_token.get(last_tok)
        if person is not None and person.kind != "person":
            person = None
        if person is not None and norm[toks[last_tok - 1][2]:toks[last_tok][1]] not in (" ", ", "):
            person = None
        if person is None:
            k = first_tok
            if k > 0 and toks[k - 1][0] == "the":
                k -= 1
            before = self.by_end_token.get(k)
            if before is not None and before.kind == "person" and norm[toks[k - 1][2]:toks[k][1]] == ", ":
                person = before
        return person

    def add_role_phrase(self, role: Mention) -> None:
        if role.kind == "roleword":
            qualifier, first_tok, last_tok = self.qualifier_of(role)
            label = role_label(role, qualifier, self.gazetteer)
        else:  # a gazetteer role ("High Representative") is its own label
            qualifier, first_tok, last_tok = role, role.first_token, role.end_token
            label = role.entity.value
        person = self.person_next_to(first_tok, last_tok)
        span_s = min(role.start, qualifier.start if qualifier else role.start)
        span_e = max(role.end, qualifier.end if qualifier else role.end)
        if person is not None:
            tally = self.people[person.entity.value]
            if label:
                tally.role, tally.role_from_text = label, True
                self.person_of_role[label] = person.entity.value
            elif not tally.role_from_text and not (tally.role and role.entity.value.lower() in tally.role.lower()):
                tally.role = role.entity.value
            return
        if label is None:
            # a bare capitalised role word ("Foreign Minister Ivica Dačić"): only with a name after it
            if role.kind == "roleword" and self.text[role.start:role.end][:1].isupper():
                named = name_after(self.text, span_e, self.covered)
                if named:
                    name, ns, ne = named
                    self.tally(name, name, role.entity.value, True).add(ns, ne, SCORING.person_after_role_confidence)
                    self.actor_spans.append((span_s, ne, name))
            return
        named = name_after(self.text, span_e, self.covered)
        if named:
            name, ns, ne = named
            self.tally(name, name, label, True).add(ns, ne, SCORING.person_after_role_confidence)
            self.person_of_role[label] = name
            self.actor_spans.append((span_s, ne, name))
            return
        self.unnamed_roles.append((label, span_s, span_e))

    def add_unnamed_roles(self) -> None:
        """A role without a name: the person named with that role elsewhere, else the role itself."""
        for label, s, e in self.unnamed_roles:
            named = self.person_of_role.get(label)
            if named:
                self.people[named].add(s, e, self.people[named].confidence)
                self.actor_spans.append((s, e, named))
                continue
            self.tally(label, label, label, True).add(s, e, SCORING.person_role_only_confidence)
            self.actor_spans.append((s, e, label))


def find_people(mentions: list[Mention], scan: Scan, gazetteer: Gazetteer) -> tuple[dict[str, PersonTally], list[ActorSpan]]:
    """Persons from gazetteer names and role phrases; also the (start, end, person) actor spans for events."""
    finder = _PeopleFinder(mentions, scan, gazetteer)
    finder.add_gazetteer_people()
    for m in mentions:
        if m.kind in ("roleword", "role"):
            finder.add_role_phrase(m)
    finder.add_unnamed_roles()
    return finder.people, finder.actor_spans
