"""Showing stored text safely: article and event text is data, never markup.

``st.markdown`` interprets Markdown (links, images, emphasis) and Streamlit renders some HTML-like
constructs; anything from an article or an import goes through :func:`md_escape` first, or is
shown with ``st.text``.
"""

from __future__ import annotations

import re

from dashboard.textnorm import normalise_for_search
from dashboard.urls import is_web_url

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def md_escape(text) -> str:
    """Backslash-escape every Markdown/HTML-significant character so the text renders literally."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    text = str(text)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def highlight_snippet(body: str, terms: list[str], width: int = 320) -> str:
    """The sentence of ``body`` that matches most ``terms``, Markdown-escaped, matches in bold.

    ``terms`` are normalised search words; a word matches when its normalised form starts with
    a term, so "Приштина" highlights "Pristina" and "Priština".
    """
    if not terms:
        return md_escape(body[:width])
    best, best_score = "", -1
    for sentence in _SENTENCE.split(body):
        norm = normalise_for_search(sentence)
        score = sum(1 for t in terms if t in norm)
        if score > best_score:
            best, best_score = sentence, score
        if best_score == len(terms):
            break
    if len(best) > width:
        best = best[:width].rsplit(" ", 1)[0] + " …"
    out, last = [], 0
    for match in _WORD.finditer(best):
        out.append(md_escape(best[last : match.start()]))
        word = match.group(0)
        folded = normalise_for_search(word)
        out.append(f"**{md_escape(word)}**" if any(folded.startswith(t) for t in terms) else md_escape(word))
        last = match.end()
    out.append(md_escape(best[last:]))
    return "".join(out)


def safe_url(url: str | None) -> str:
    """An http(s) URL made safe inside a Markdown link target; anything else becomes "#"."""
    if not is_web_url(url):
        return "#"
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


TAG_COLOURS = {"country": "blue", "place": "violet", "organisation": "orange", "person": "green"}
#: Streamlit pads a coloured background on the left and right, which reads as a space before the
#: punctuation after a highlight ("Kosovo ." "NATO 's"). Shown with the highlighted paragraphs
#: (``st.html``), it makes the background hug the word so the text keeps its exact spacing.
HIGHLIGHT_CSS = ("<style>[data-testid='stMain'] span.stMarkdownColoredBackground"
                 "{padding-left: 0 !important; padding-right: 0 !important;}</style>")


def highlight_tags(body: str, tags: list[dict]) -> list[str]:
    """The body as Markdown paragraphs with every mention of a tag's surface text highlighted.

    Each tag's stored span gives the surface form ("Stoltenberg", "Republika Srpska"); every
    whole-word occurrence of that form is marked with the colour of its kind ("Russia" in "Russia's",
    not in "Russian"). All other text is escaped and keeps its spacing; render the paragraphs with
    :data:`HIGHLIGHT_CSS` so no padding shows as a space.
    """
    forms: dict[str, str] = {}
    for tag in tags:
        colour = TAG_COLOURS.get(tag["kind"])
        start, end = tag.get("span_start"), tag.get("span_end")
        if colour and start is not None and end is not None and 0 <= start < end <= len(body):
            surface = body[start:end].strip()
            if len(surface) >= 2:
                forms.setdefault(surface, colour)
        label = tag.get("label") or ""
        if colour and len(label) >= 3 and label in body:  # "NATO" when the first mention was "the Alliance"
            forms.setdefault(label, colour)
    if not forms:
        return [md_escape(p) for p in body.split("\n\n")]
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    paragraphs = []
    for paragraph in body.split("\n\n"):
        out, last = [], 0
        for match in pattern.finditer(paragraph):
            out.append(md_escape(paragraph[last : match.start()]))
            out.append(f":{forms[match.group(0)]}-background[{md_escape(match.group(0))}]")
            last = match.end()
        out.append(md_escape(paragraph[last:]))
        paragraphs.append("".join(out))
    return paragraphs
