"""Dump everything the tagger says about a fixed set of texts as JSON, to prove a refactor changed nothing.

Texts (always the same, in the same order):

* every file of the evaluation set ``data/eval`` listed in ``labels.json``, read as
  :func:`dashboard.tagging.evaluate.evaluate` reads it (title line, body cut by ``strip_boilerplate``,
  ``published`` from the labels), and once more with the whole uncut body and no publication date;
* the 500 synthetic benchmark texts of ``bench.corpus`` (seed 1, the bench default), cleaned as
  ``bench/tagcompare.py`` does;
* the seed article(s) ``/work/shared/seed/*.txt`` (title line, body), if that folder exists.

For each text the output holds every tag and every event of ``tag_article`` with all their fields
(dates as ISO strings), plus the tags of ``tag_countries``.  Usage::

    python scripts/tagger_snapshot.py /tmp/before.json     # on the untouched code
    python scripts/tagger_snapshot.py /tmp/after.json      # after a change
    cmp /tmp/before.json /tmp/after.json                   # must be byte-identical

``--speed`` instead prints the articles/s of ``tag_article`` on the 500 bench texts (median of 3 runs),
the same measurement as ``bench/tagcompare.py`` (``make bench`` is the place where speed is reported).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from dashboard.ingest.clean import clean_body  # noqa: E402
from dashboard.tagging import tag_article, tag_countries  # noqa: E402
from dashboard.tagging.evaluate import split_title, strip_boilerplate  # noqa: E402

EVAL_DIR = ROOT / "data" / "eval"
SEED_DIR = Path("/work/shared/seed")
BENCH_SEED = 1
BENCH_N = 500


def texts() -> list[dict]:
    """All snapshot inputs as ``{"id", "title", "body", "published"}``, in a fixed order."""
    out = []
    for item in json.loads((EVAL_DIR / "labels.json").read_text(encoding="utf-8")):
        raw = (EVAL_DIR / item["file"]).read_text(encoding="utf-8")
        title, body = split_title(raw)
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        out.append({"id": f"eval/{item['file']}", "title": title, "body": strip_boilerplate(body),
                    "published": published})
        out.append({"id": f"eval-raw/{item['file']}", "title": title, "body": body, "published": None})
    for art in corpus.iter_articles(BENCH_N, BENCH_SEED):
        rec = art.record
        out.append({"id": f"bench/{rec['url']}", "title": rec["title"], "body": clean_body(rec["body"]),
                    "published": date.fromisoformat(rec["published"]) if rec["published"] else None})
    for path in sorted(SEED_DIR.glob("*.txt")):
        title, body = split_title(path.read_text(encoding="utf-8"))
        out.append({"id": f"seed/{path.name}", "title": title, "body": body, "published": None})
    return out


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [_plain(x) for x in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def snapshot(items: list[dict]) -> list[dict]:
    out = []
    for it in items:
        res = tag_article(it["body"], title=it["title"], published=it["published"])
        out.append({
            "id": it["id"],
            "tags": _plain(res.tags),
            "events": _plain(res.events),
            "country_tags": _plain(tag_countries(it["body"], title=it["title"])),
        })
    return out


def speed(runs: int = 3) -> list[float]:
    """articles/s of ``tag_article`` on the bench texts, one figure per run."""
    items = [it for it in texts() if it["id"].startswith("bench/")]
    tag_article("warm up the gazetteer in Sarajevo.")
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for it in items:
            tag_article(it["body"], title=it["title"], published=it["published"])
        rates.append(len(items) / (time.perf_counter() - t0))
    return rates


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", nargs="?", help="JSON file to write (default: stdout)")
    p.add_argument("--speed", action="store_true", help="print articles/s (median of 3 runs) instead")
    args = p.parse_args()
    if args.speed:
        rates = speed()
        print(f"tag_article: {statistics.median(rates):.1f} articles/s (median of {len(rates)} runs: "
              + ", ".join(f"{r:.1f}" for r in rates) + ")")
        return
    items = texts()
    data = json.dumps({"n_texts": len(items), "texts": snapshot(items)}, ensure_ascii=False, indent=1, sort_keys=True)
    if args.out:
        Path(args.out).write_text(data + "\n", encoding="utf-8")
        print(f"{len(items)} texts -> {args.out}", file=sys.stderr)
    else:
        print(data)


if __name__ == "__main__":
    main()
