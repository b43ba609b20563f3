"""Showing stored text safely: article and event text is data, never markup.

``st.markdown`` interprets Markdown (links, images, emphasis) and Streamlit renders some HTML-like
constructs; anything from an article or an import goes through :func:`md_escape` first, or is
shown with ``st.text``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dashboard.textnorm import normalise_for_search
from dashboard.urls import is_web_url

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")
#: Streamlit's Markdown turns some plain text into links or icons after escapes are read (GFM's
#: autolink literals: "https://…", "www.…", "name@host"; icon codes ":material/…:", ":smile:"), so no
#: backslash stops them. A WORD JOINER (U+2060: invisible, zero width, no break) placed in each
#: breaks the pattern and leaves the text as it reads.
WORD_JOINER = "\u2060"
_AUTO_LINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(?<=[\w.+-])@(?=[-\w])"
                        r"|:(?=[A-Za-z_][\w+/-]*:)")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def md_escape(text) -> str:
    """Backslash-escape every Markdown/HTML-significant character so the text renders literally,
    and break the patterns Markdown would still make a link or an icon of (:data:`WORD_JOINER`):
    an address in stored text shows as text, never a link, an image or a fetch."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    text = _AUTO_LINK.sub(lambda m: m.group(0) + WORD_JOINER, str(text))
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


EXTERNAL_MARK = "↗"


def external_link(label: str, url: str | None) -> str:
    """Markdown for a link to another site that says so: ``label ↗`` and the site's name beside it.

    ``label`` is plain text (escaped here). An address that is not http(s) is no link: the label is
    shown with the address as text. The only links out of stored data are these; addresses inside
    article or event text stay text (:func:`md_escape`)."""
    if not is_web_url(url):
        return md_escape(f"{label}: {url}") if url else md_escape(label)
    host = urlsplit(url).hostname or "another site"
    return f"[{md_escape(label)} {EXTERNAL_MARK}]({safe_url(url)}) ({md_escape(host)}, external site)"


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
