"""Showing stored text: Markdown escaping and tag highlights, with expected output written by hand."""

from __future__ import annotations

import pytest

from dashboard.ui.text import highlight_tags, md_escape


def _tag(body: str, surface: str, kind: str = "country", label: str = "", nth: int = 0) -> dict:
    """A tag whose span is the ``nth`` occurrence of ``surface`` in ``body``."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return {"kind": kind, "span_start": start, "span_end": start + len(surface), "label": label}


@pytest.mark.parametrize(("body", "tags", "expected"), [
    # a tag inside a longer word is not highlighted there
    ("Russian forces left Russia.", [("Russia", "country", "", 1)],
     ["Russian forces left :blue-background[Russia]\\."]),
    ("Moscow and the Russians, not Russia", [("Russia", "country", "", 1)],
     ["Moscow and the Russians, not :blue-background[Russia]"]),
    # punctuation right after a highlight keeps its place: no space is added or lost
    ("NATO's envoy came to Kosovo.", [("NATO", "organisation", "", 0), ("Kosovo", "country", "", 0)],
     [":orange-background[NATO]\\'s envoy came to :blue-background[Kosovo]\\."]),
    ("In Kosovo, (Kosovo) and Kosovo!", [("Kosovo", "country", "", 0)],
     ["In :blue-background[Kosovo], \\(:blue-background[Kosovo]\\) and :blue-background[Kosovo]\\!"]),
    # whitespace is kept exactly, paragraphs split on blank lines
    ("Serbia  and\tKosovo\n\nthen Serbia", [("Serbia", "country", "", 0)],
     [":blue-background[Serbia]  and\tKosovo", "then :blue-background[Serbia]"]),
    # a label found elsewhere in the text is highlighted as a whole word too, and not inside "NATOs"
    ("The Alliance, i.e. NATO, not NATOs", [("Alliance", "organisation", "NATO", 0)],
     ["The :orange-background[Alliance], i\\.e\\. :orange-background[NATO], not NATOs"]),
    # a place with a diacritic and a space
    ("Brčko District's mayor", [("Brčko District", "place", "", 0)],
     [":violet-background[Brčko District]\\'s mayor"]),
    # topics are not highlighted; no tags: escaped text
    ("Energy *deal*", [("Energy", "topic", "", 0)], ["Energy \\*deal\\*"]),
])
def test_highlight_tags_marks_whole_words_and_keeps_the_spacing(body, tags, expected):
    # each tag is (surface, kind, label, which occurrence of the surface its span covers)
    built = [_tag(body, surface, kind, label, nth) for surface, kind, label, nth in tags]
    assert highlight_tags(body, built) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("plain words", "plain words"),
    ("*bold* _it_", "\\*bold\\* \\_it\\_"),
    # a word joiner (U+2060, written by hand here) in every address, e-mail and icon code: Markdown's
    # autolinks and Streamlit's icons read the text after the escapes, so only that keeps them text
    ("[link](https://x.org)", "\\[link\\]\\(https\u2060\\://x\\.org\\)"),
    ("see http://x.org now", "see http\u2060\\://x\\.org now"),
    ("www.x.org", "www\u2060\\.x\\.org"),
    ("mail a.b@x.org", "mail a\\.b@\u2060x\\.org"),
    (":material/warning: at 10:30", "\\:\u2060material/warning\\: at 10\\:30"),
    ("<b>x</b>", "\\<b\\>x\\</b\\>"),
    ("a\nb", "a  \nb"),
    ("$5 & 10%", "\\$5 \\& 10%"),
    ("# title", "\\# title"),
    (None, ""),
    (float("nan"), ""),
    (42, "42"),
])
def test_md_escape(text, expected):
    assert md_escape(text) == expected
