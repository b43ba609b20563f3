"""Sentence splitting (dashboard.tagging.sentences), against offsets worked out by hand."""

from __future__ import annotations

from dashboard.tagging import split_sentences

TEXT = "Mr. Smith arrived in Sarajevo. He met J. Doe on Monday! Talks continue.\n\nSecond paragraph here? Yes."


def test_sentences_and_paragraphs_of_a_hand_counted_text():
    # "Mr." is an abbreviation and "J." an initial: neither ends a sentence.  The blank line is no
    # paragraph of its own.  Offsets counted by hand: 30 characters up to "Sarajevo.", a space, ...
    assert split_sentences(TEXT) == [(0, 30, 0), (31, 55, 0), (56, 71, 0), (73, 95, 1), (96, 100, 1)]
    assert [TEXT[s:e] for s, e, _ in split_sentences(TEXT)] == [
        "Mr. Smith arrived in Sarajevo.", "He met J. Doe on Monday!", "Talks continue.",
        "Second paragraph here?", "Yes.",
    ]


def test_no_split_inside_abbreviations_numbers_or_before_lower_case():
    text = "The U.S. envoy said growth fell 2.5 percent. talks went on."
    assert split_sentences(text) == [(0, len(text), 0)]


def test_a_quote_after_a_full_stop_starts_a_sentence():
    text = 'He said so. "We will go."'
    assert [text[s:e] for s, e, _ in split_sentences(text)] == ["He said so.", '"We will go."']


def test_every_line_is_a_paragraph_and_leading_spaces_are_not_in_a_sentence():
    text = "  First line\nSecond line."
    assert split_sentences(text) == [(2, 12, 0), (13, 25, 1)]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n \n") == []
