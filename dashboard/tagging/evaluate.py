"""Evaluate the tagger against hand-labelled texts (data/eval/).

``labels.json`` is a list of::

    {"file": "02_zvecan_clashes.txt", "published": "2023-05-30" | null, "source_url": "..." (optional),
     "countries": [ISO2...], "primary_countries": [...], "organisations": [...], "topics": [...],
     "events": [{"date": "YYYY[-MM[-DD]]" | null, "status": "...", "summary": "...", "countries": [...]}]}

Each text file starts with its title line; the rest is the body.  The body first goes through
``clean`` (default: cut at the first site-boilerplate line such as "Previous Article"; pass the
ingest layer's cleaner to evaluate the whole pipeline).

Scores: micro precision/recall/F1 over all (file, value) pairs and macro F1 (mean per-file F1, a
file with nothing expected and nothing predicted scoring 1) for countries, primary_countries,
organisations, topics and events.  Only tags and events with confidence >= 0.5 count.  A predicted
event matches a labelled one (one-to-one, greedily) when the status is equal, the dates agree
(both unresolved, or one range contains the other) and the country sets overlap (or are both empty).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .tagger import tag_article
from .types import EVENT_CONFIDENCE_THRESHOLD, TAG_CONFIDENCE_THRESHOLD, ExtractedEvent

FIELDS = ("countries", "primary_countries", "organisations", "topics", "events")

_BOILERPLATE_RE = re.compile(
    r"^[ \t]*(?:Previous Article|Next Article|Previous Post|Next Post|Write a Comment|Leave a Comment|Leave a Reply"
    r"|Related Articles?|Related Posts|Read [Mm]ore|You [Mm]ay [Aa]lso [Ll]ike|More [Ff]rom|Share [Tt]his(?: [Aa]rticle)?:?"
    r"|Tags?:.*|Comments)[ \t]*$", re.M)


def strip_boilerplate(text: str) -> str:
    """Minimal stand-in for the ingest cleaner: cut at the first teaser/comment-block line."""
    m = _BOILERPLATE_RE.search(text)
    return text[: m.start()].rstrip() if m else text


def split_title(raw: str) -> tuple[str, str]:
    title, _, body = raw.lstrip("\ufeff").partition("\n")
    return title.strip(), body.strip("\n")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _gold_range(d: str | None):
    """A label's date (YYYY, YYYY-MM or YYYY-MM-DD, any year: an 1880 earthquake is background too)."""
    if not d:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", d.strip())
    if m is None:
        raise ValueError(f"bad label date {d!r}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        one = date(year, int(month), int(day))
        return one, one
    if month:
        first = date(year, int(month), 1)
        following = date(year + (first.month == 12), first.month % 12 + 1, 1)
        return first, date.fromordinal(following.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


def _event_match(pred: ExtractedEvent, gold: dict) -> bool:
    if pred.status != gold["status"]:
        return False
    g = _gold_range(gold.get("date"))
    if g is None or pred.date_start is None:
        if not (g is None and pred.date_start is None):
            return False
    else:
        ps, pe = pred.date_start, pred.date_end
        gs, ge = g
        if not ((gs <= ps and pe <= ge) or (ps <= gs and ge <= pe)):
            return False
    gc, pc = set(gold.get("countries") or ()), set(pred.countries)
    return bool(gc & pc) or (not gc and not pc)


def _match_events(preds: list[ExtractedEvent], golds: list[dict]):
    used: set[int] = set()
    matched = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if pi not in used and _event_match(p, g):
                used.add(pi)
                matched.append((gi, pi))
                break
    missed = [golds[gi] for gi in range(len(golds)) if gi not in {m[0] for m in matched}]
    extra = [preds[pi] for pi in range(len(preds)) if pi not in used]
    return len(matched), missed, extra


def _event_str(e: ExtractedEvent) -> str:
    d = e.date_start.isoformat() if e.date_start else "?"
    if e.date_end and e.date_end != e.date_start:
        d += f"..{e.date_end.isoformat()}"
    return f"{e.status} {d} {'/'.join(e.countries) or '-'}: {e.title[:70]}"


def evaluate(directory: str | Path, clean: Callable[[str], str] | None = strip_boilerplate,
             tag_threshold: float = TAG_CONFIDENCE_THRESHOLD,
             event_threshold: float = EVENT_CONFIDENCE_THRESHOLD) -> dict:
    directory = Path(directory)
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    totals = {f: [0, 0, 0] for f in FIELDS}
    per_file_f1 = {f: [] for f in FIELDS}
    files = {}
    for item in labels:
        raw = (directory / item["file"]).read_text(encoding="utf-8")
        title, body = split_title(raw)
        if clean is not None:
            body = clean(body)
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        res = tag_article(body, title=title, published=published)
        tags = [t for t in res.tags if t.confidence >= tag_threshold]
        pred = {
            "countries": {t.value for t in tags if t.kind == "country"},
            "primary_countries": {t.value for t in tags if t.kind == "country" and t.primary},
            "organisations": {t.value for t in tags if t.kind == "organisation"},
            "topics": {t.value for t in tags if t.kind == "topic"},
        }
        report = {}
        for f in FIELDS[:-1]:
            gold = set(item.get(f) or ())
            tp, fp, fn = len(gold & pred[f]), len(pred[f] - gold), len(gold - pred[f])
            for k, v in enumerate((tp, fp, fn)):
                totals[f][k] += v
            per_file_f1[f].append(_prf(tp, fp, fn)[2])
            if fp or fn:
                report[f] = {"missed": sorted(gold - pred[f]), "extra": sorted(pred[f] - gold)}
        events = [e for e in res.events if e.confidence >= event_threshold]
        golds = item.get("events") or []
        tp, missed, extra = _match_events(events, golds)
        fp, fn = len(extra), len(missed)
        for k, v in enumerate((tp, fp, fn)):
            totals["events"][k] += v
        per_file_f1["events"].append(_prf(tp, fp, fn)[2])
        if fp or fn:
            report["events"] = {
                "missed": [f"{g['status']} {g.get('date') or '?'} {'/'.join(g.get('countries') or []) or '-'}: {g.get('summary', '')[:70]}" for g in missed],
                "extra": [_event_str(e) for e in extra],
            }
        files[item["file"]] = report
    scores = {}
    for f in FIELDS:
        p, r, f1 = _prf(*totals[f])
        vals = per_file_f1[f]
        scores[f] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
                     "macro_f1": round(sum(vals) / len(vals), 3) if vals else 0.0,
                     "tp": totals[f][0], "fp": totals[f][1], "fn": totals[f][2]}
    return {"directory": str(directory), "files": len(labels), "scores": scores, "per_file": files}


def format_report(result: dict) -> str:
    lines = [f"Tagger evaluation on {result['files']} files in {result['directory']}", ""]
    lines.append(f"{'field':<18} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8} {'tp':>5} {'fp':>5} {'fn':>5}")
    for f, s in result["scores"].items():
        lines.append(f"{f:<18} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['macro_f1']:>8.3f} "
                     f"{s['tp']:>5} {s['fp']:>5} {s['fn']:>5}")
    lines.append("")
    for name, rep in result["per_file"].items():
        if not rep:
            continue
        lines.append(name)
        for f, d in rep.items():
            if d["missed"]:
                lines.append(f"  {f} missed: " + ("; ".join(d["missed"]) if f == "events" else ", ".join(d["missed"])))
            if d["extra"]:
                lines.append(f"  {f} extra:  " + ("; ".join(d["extra"]) if f == "events" else ", ".join(d["extra"])))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - convenience; the lead wires `python -m dashboard evaluate DIR`
    import sys

    print(format_report(evaluate(sys.argv[1] if len(sys.argv) > 1 else "data/eval")))
