"""Our tagger against flashgeotext on the same texts: speed and country F1.

Two labelled sets:

* ``synthetic``: articles from :mod:`bench.corpus`, whose countries are known from generation
  (every country named by name, town, sub-national place or a single-country mission such as
  KFOR). The names come from the same lists our gazetteer holds, so this set is easy for us; it
  mostly measures speed and that nothing is lost on the way.
* ``eval``: the hand-labelled real texts in ``data/eval`` (``labels.json``; each file starts with
  its title line). This is the honest accuracy test.

Both systems see the same title and cleaned body. Ours counts tags with confidence >= 0.5 (what
the dashboard shows). flashgeotext uses its bundled demo data (``GeoText()``: a cities pool and a
countries pool, shipped inside the wheel, no download); only its countries pool says which
country, because its demo cities carry no country, so its country F1 is over country names only.
Speed is measured on the default pool (cities and countries), as a user would run it.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "data" / "eval"

# flashgeotext country names our lookups cannot resolve by name.
_FGT_OVERRIDES = {"Kosovo": "XK", "Russia": "RU", "Turkey": "TR", "North Macedonia": "MK", "Moldova": "MD",
                  "Bosnia and Herzegovina": "BA", "Czech Republic": "CZ", "Ivory Coast": "CI",
                  "Republic of the Congo": "CG", "Democratic Republic of the Congo": "CD", "Vatican City": "VA",
                  "East Timor": "TL", "Cape Verde": "CV", "Swaziland": "SZ", "Macedonia": "MK",
                  "The Gambia": "GM", "The Bahamas": "BS", "Federated States of Micronesia": "FM",
                  "Democratic Republic of Congo": "CD", "Republic of Congo": "CG",
                  # Breakaway regions: credited to the state our tagger (and the labels) assign them to.
                  "Transnistria": "MD", "Abkhazia": "GE", "Artsakh": "AZ"}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def _score(pred: list[set[str]], gold: list[set[str]]) -> dict:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    fp = sum(len(p - g) for p, g in zip(pred, gold, strict=True))
    fn = sum(len(g - p) for p, g in zip(pred, gold, strict=True))
    return _prf(tp, fp, fn)


def eval_set() -> list[dict] | None:
    """The hand-labelled texts as ``{"title", "body", "published", "countries"}``, or ``None``."""
    labels = EVAL_DIR / "labels.json"
    if not labels.is_file():
        return None
    from dashboard.ingest.clean import clean_body

    out = []
    for item in json.loads(labels.read_text(encoding="utf-8")):
        path = EVAL_DIR / item["file"]
        if not path.is_file() or "countries" not in item:
            continue
        raw = path.read_text(encoding="utf-8").lstrip("\ufeff")
        title, _, body = raw.partition("\n")
        out.append({
            "title": title.strip(),
            "body": clean_body(body.strip("\n")),
            "published": date.fromisoformat(item["published"]) if item.get("published") else None,
            "countries": set(item["countries"]),
        })
    return out or None


def synthetic_set(n: int, seed: int) -> list[dict]:
    from dashboard.ingest.clean import clean_body

    out = []
    for art in corpus.iter_articles(n, seed):
        rec = art.record
        out.append({
            "title": rec["title"],
            "body": clean_body(rec["body"]),
            "published": date.fromisoformat(rec["published"]) if rec["published"] else None,
            "countries": art.truth_countries,
        })
    return out


def _ours(items: list[dict]) -> tuple[list[set[str]], float]:
    from dashboard.tagging import TAG_CONFIDENCE_THRESHOLD, tag_article

    tag_article("warm up the gazetteer in Sarajevo.")
    preds = []
    t0 = time.perf_counter()
    for it in items:
        res = tag_article(it["body"], title=it["title"], published=it["published"])
        preds.append({t.value for t in res.tags if t.kind == "country" and t.confidence >= TAG_CONFIDENCE_THRESHOLD})
    return preds, time.perf_counter() - t0


def _ours_countries(items: list[dict]) -> tuple[list[set[str]], float]:
    """The countries-only pass (``tag_countries``: the same country tags, nothing else): like for like."""
    from dashboard.tagging import TAG_CONFIDENCE_THRESHOLD, tag_countries

    tag_countries("warm up the gazetteer in Sarajevo.")
    preds = []
    t0 = time.perf_counter()
    for it in items:
        tags = tag_countries(it["body"], title=it["title"])
        preds.append({t.value for t in tags if t.confidence >= TAG_CONFIDENCE_THRESHOLD})
    return preds, time.perf_counter() - t0


def _fgt_name_map() -> dict[str, str]:
    import pycountry

    from dashboard.tagging import COUNTRY_NAMES

    by_name = {v.lower(): k for k, v in COUNTRY_NAMES.items()}
    from flashgeotext.lookup import load_data_from_file
    from flashgeotext.settings import DEMODATA_COUNTRIES

    mapping = {}
    for name in load_data_from_file(DEMODATA_COUNTRIES):
        code = _FGT_OVERRIDES.get(name) or by_name.get(name.lower())
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_2
            except LookupError:
                code = f"?{name}"
        mapping[name] = code
    return mapping


def _flashgeotext(items: list[dict]) -> tuple[list[set[str]], float, float]:
    from flashgeotext.geotext import GeoText

    t0 = time.perf_counter()
    geotext = GeoText()  # default configuration: bundled demo cities and countries, case-sensitive
    setup = time.perf_counter() - t0
    names = _fgt_name_map()
    preds = []
    t0 = time.perf_counter()
    for it in items:
        found = geotext.extract(input_text=f"{it['title']}\n\n{it['body']}")
        preds.append({names.get(name, f"?{name}") for name in found.get("countries", {})})
    return preds, time.perf_counter() - t0, setup


def run(seed: int, n_synthetic: int = 500) -> dict:
    """Speed (articles/s) on the synthetic texts and country F1 on both sets, for both systems."""
    synthetic = synthetic_set(n_synthetic, seed)
    gold_syn = [it["countries"] for it in synthetic]
    out: dict = {"n_synthetic": len(synthetic)}
    preds, secs = _ours(synthetic)
    out["ours_articles_per_s"] = len(synthetic) / secs
    out["ours_synthetic"] = _score(preds, gold_syn)
    cpreds, csecs = _ours_countries(synthetic)
    out["ours_countries_per_s"] = len(synthetic) / csecs
    out["ours_countries_same_as_full"] = cpreds == preds
    evals = eval_set()
    out["n_eval"] = len(evals) if evals else 0
    if evals:
        preds_e, _ = _ours(evals)
        out["ours_eval"] = _score(preds_e, [it["countries"] for it in evals])
    try:
        import flashgeotext  # noqa: F401
    except ImportError:
        out["flashgeotext"] = "unavailable: flashgeotext is not installed (pip install -e '.[bench]')"
        return out
    fpreds, fsecs, setup = _flashgeotext(synthetic)
    out["flashgeotext"] = "available (bundled demo data, offline)"
    out["fgt_setup_s"] = setup
    out["fgt_articles_per_s"] = len(synthetic) / fsecs
    out["fgt_synthetic"] = _score(fpreds, gold_syn)
    if evals:
        fpreds_e, _, _ = _flashgeotext(evals)
        out["fgt_eval"] = _score(fpreds_e, [it["countries"] for it in evals])
    return out
