"""Flat measures, targets with a met / missed verdict (never asserted), and the printed table."""

from __future__ import annotations

import math

MB = 1024 * 1024
TARGET_NOTE = "Targets are set for 1M articles; each verdict is for the size measured."


def _num(x):
    if x is None:
        return None
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)):
        return x
    return None


def flatten(r: dict) -> tuple[dict[str, float | None], dict[str, str]]:
    """Every measure of one size as ``name -> number`` (None when unavailable, with the reason)."""
    m: dict[str, float | None] = {}
    why: dict[str, str] = {}
    load = r.get("load", {})
    m["load.articles_per_s_wall"] = load.get("articles_per_s_wall")
    m["load.events_per_s_wall"] = load.get("events_per_s_wall")
    m["load.db_mb"] = (load.get("db_bytes") or 0) / MB if load.get("db_bytes") else None
    ing = r.get("ingest", {})
    for k in ("articles_per_s", "events_per_s", "machine_events_per_article", "mean_words"):
        m[f"ingest.{k}"] = ing.get(k)
    tg = r.get("tagging", {})
    m["tagging.ours_articles_per_s"] = tg.get("ours_articles_per_s")
    m["tagging.ours_countries_per_s"] = tg.get("ours_countries_per_s")
    m["tagging.ours_f1_synthetic"] = (tg.get("ours_synthetic") or {}).get("f1")
    m["tagging.flashgeotext_articles_per_s"] = tg.get("fgt_articles_per_s")
    m["tagging.flashgeotext_f1_synthetic"] = (tg.get("fgt_synthetic") or {}).get("f1")
    if not str(tg.get("flashgeotext", "")).startswith("available"):
        for k in ("tagging.flashgeotext_articles_per_s", "tagging.flashgeotext_f1_synthetic"):
            why[k] = str(tg.get("flashgeotext"))
    if tg.get("n_eval"):
        m["tagging.ours_f1_eval"] = (tg.get("ours_eval") or {}).get("f1")
        m["tagging.flashgeotext_f1_eval"] = (tg.get("fgt_eval") or {}).get("f1")
    for key, p in (r.get("pages") or {}).items():
        for kind in ("cold", "change", "warm"):
            if kind not in p:
                continue
            m[f"page.{key}.{kind}_median_s"] = p[kind]["median"]
            m[f"page.{key}.{kind}_p95_s"] = p[kind]["p95"]
        m[f"page.{key}.payload_bytes"] = None if p.get("timed_out") else p["payload"]["bytes"]
        if p.get("timed_out"):
            why[f"page.{key}.payload_bytes"] = f"page stopped at the {p['timeout_s']:.0f} s timeout"
            for kind in ("cold", "change", "warm"):
                why[f"page.{key}.{kind}_median_s"] = "a lower bound: the page was stopped at the timeout"
    sql = r.get("sql", {})
    for name, f in (sql.get("facets") or {}).items():
        m[f"facet.{name}.ours_s"] = f["ours"]["median"]
        if "datasette" in f:
            m[f"facet.{name}.datasette_s"] = f["datasette"]["median"]
        elif name != "facet_options":
            m[f"facet.{name}.datasette_s"] = None
            why[f"facet.{name}.datasette_s"] = str(sql.get("datasette"))
    for k, v in (sql.get("events_per_month") or {}).items():
        m[f"events_per_month.{k}_s"] = v["median"]
    for k, v in (sql.get("article_list") or {}).items():
        m[f"article_list.{k}_s"] = v["median"]
    for q, v in (sql.get("search") or {}).items():
        m[f"search.{q}.ours_list_s"] = v["ours_list"]["median"]
        m[f"search.{q}.ours_count_and_list_s"] = v["ours_count_and_list"]["median"]
        m[f"search.{q}.raw_fts5_s"] = v["raw_fts5"]["median"]
    naive = sql.get("naive") or {}
    if naive and not naive.get("skipped"):
        m["naive.load_s"] = naive["load"]["median"]
        m["naive.memory_mb"] = naive["memory_bytes"] / MB
        if "cache_hit" in naive:
            m["naive.cache_hit_s"] = naive["cache_hit"]["median"]
        for k, v in naive["filter"].items():
            m[f"naive.filter_{k}_s"] = v["median"]
    pay = r.get("payload", {})
    for k in ("map_bytes",):
        if k in (pay.get("figures") or {}):
            m[f"figure.{k}"] = pay["figures"][k]
    for key, p in (r.get("pages") or {}).items():
        if not p.get("timed_out"):
            m[f"page.{key}.plotly_bytes"] = p["payload"].get("plotly_bytes")
    for n, v in (pay.get("map_scaling") or {}).items():
        m[f"map_scaling.{n}.bytes"] = v["bytes"]
        m[f"map_scaling.{n}.rows"] = v["rows"]
        if "rerun_warm_s" in v:
            m[f"map_scaling.{n}.rerun_warm_s"] = v["rerun_warm_s"]
            m[f"map_scaling.{n}.rerun_cold_s"] = v["rerun_cold_s"]
    size = r.get("size") or {}
    if size.get("bytes_per_article") is not None:
        m["size.bytes_per_article"] = size["bytes_per_article"]
        m["size.file_bytes"] = size["file_bytes"]
    rss = r.get("rss", {})
    m["rss.peak_mb"] = rss.get("peak_mb")
    if rss.get("peak_mb") is None:
        why["rss.peak_mb"] = rss.get("reason", "not measured")
    conc = r.get("concurrent") or {}
    for phase in ("quiet", "import"):
        for how in ("browser", "websocket"):
            v = conc.get(f"{phase}_{how}")
            for stat in ("median", "p95"):
                name = f"concurrent.{phase}.{how}_{stat}_s"
                m[name] = None if v is None else v[stat]
                if v is None:
                    why[name] = conc.get("reason") or conc.get("error") or "not measured"
        cpu = (conc.get(f"{phase}_browser") or {}).get("cpu_per_load") or {}
        for who in ("server", "chromium"):
            name = f"concurrent.{phase}.{who}_cpu_per_load_s"
            m[name] = cpu.get(f"{who}_s")
            if m[name] is None:
                why[name] = conc.get("reason") or conc.get("error") or "not measured (no /proc)"
        # page switches within a session (the sidebar, no reload): their own measures, not judged
        v = conc.get(f"{phase}_switch")
        for stat in ("median", "p95"):
            name = f"concurrent.{phase}.switch_{stat}_s"
            m[name] = None if v is None else v[stat]
            if v is None:
                why[name] = conc.get("reason") or conc.get("error") or "not measured"
        cpu = (v or {}).get("cpu_per_load") or {}
        for who in ("server", "chromium"):
            name = f"concurrent.{phase}.switch_{who}_cpu_per_load_s"
            m[name] = cpu.get(f"{who}_s")
            if m[name] is None:
                why[name] = conc.get("reason") or conc.get("error") or "not measured (no /proc)"
    for how in ("browser", "switch"):
        single = conc.get(f"single_{how}")
        for stat in ("median", "p95"):
            name = f"concurrent.single.{how}_{stat}_s"
            m[name] = None if single is None else single[stat]
            if single is None:
                why[name] = conc.get("reason") or conc.get("error") or "not measured"
    pg = r.get("postgres") or {}
    if pg.get("copy_s") is not None:
        m["postgres.copy_s"] = pg["copy_s"]
        m["postgres.db_mb"] = pg["db_bytes"] / MB
    for key, p in (pg.get("pages") or {}).items():
        for kind in ("cold", "change"):
            if kind in p:
                m[f"postgres.page.{key}.{kind}_median_s"] = p[kind]["median"]
                m[f"postgres.page.{key}.{kind}_p95_s"] = p[kind]["p95"]
    for q, v in ((pg.get("sql") or {}).get("search") or {}).items():
        m[f"postgres.search.{q}.ours_list_s"] = v["ours_list"]["median"]
        m[f"postgres.search.{q}.raw_s"] = v["raw_pg"]["median"]
    for fmt, v in (r.get("export") or {}).items():
        if not isinstance(v, dict):
            continue
        m[f"export.{fmt}_s"] = v.get("seconds")
        m[f"export.{fmt}_rows"] = v.get("rows")
        if "error" in v:
            why[f"export.{fmt}_s"] = v["error"]
    return {k: _num(v) for k, v in m.items()}, why


# --- the table --------------------------------------------------------------------------------

def _s(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f} s"
    if x >= 10:
        return f"{x:.1f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.01:
        return f"{x * 1000:.0f} ms"
    return f"{x * 1000:.1f} ms"


def _b(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x >= 1024 * MB:
        return f"{x / 1024 / MB:.2f} GB"
    if x >= MB:
        return f"{x / MB:.2f} MB"
    return f"{x / 1024:.0f} KB"


def _r(x: float | None, unit: str = "/s") -> str:
    return "n/a" if x is None else f"{x:,.0f}{unit}"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def _cpu_and_slowest(out: list, v: dict, cpu_what: str, slow_what: str, unit: str, bound: str) -> None:
    """The CPU per load (or switch) of the server and Chromium, and the slowest page, of one phase."""
    cpu = v.get("cpu_per_load") or {}
    if cpu.get("server_s") is not None and cpu.get("chromium_s") is not None:
        out.append((f"  CPU per {cpu_what}", f"Chromium {_s(cpu['chromium_s'])}",
                    f"server {_s(cpu['server_s'])}{bound}", "", ""))
    slowest = max(v["pages"].items(), key=lambda kv: kv[1]["median"], default=None)
    if slowest:
        out.append((f"  slowest {slow_what}", f"{slowest[0]} {_s(slowest[1]['median'])}", f"median of its {unit}",
                    "", ""))


def _postgres_rows(r: dict, pages: dict, sql: dict, out: list, target, section) -> None:
    """PostgreSQL beside SQLite: the same pages and queries on a copy of this database on a local server."""
    pg = r.get("postgres") or {}
    if not pg:
        return
    section("PostgreSQL beside SQLite (this database copied to a throwaway local server; SQLite / PostgreSQL)")
    if pg.get("skipped") or pg.get("error"):
        out.append(("PostgreSQL", "not measured", str(pg.get("skipped") or pg.get("error"))[:60], "", ""))
        return
    out.append(("copy into PostgreSQL (copy-to)", f"{pg['copy_s']:,.0f} s",
                f"{sum(pg['rows'].values()):,} rows; {_b(pg['db_bytes'])} on the server", "", ""))
    for key, p in (pg.get("pages") or {}).items():
        page, scen = key.split(".")
        if p.get("timed_out"):
            out.append((f"{page} {scen}", f"> {p['timeout_s']:.0f} s, stopped", "", "<= 0.5 s",
                        target(f"PostgreSQL page {key} rerun after a filter change <= 0.5 s", False, "timeout",
                               "<= 0.5 s")))
            continue
        lite = pages.get(key) or {}
        lite_change = (lite.get("change") or {}).get("median")
        change, cold = p["change"], p["cold"]
        ok = change["median"] <= 0.5 and change["p95"] <= 1.0 and cold["median"] <= 1.5
        out.append((f"{page} {scen} after a filter change", f"{_s(lite_change)} / {_s(change['median'])}",
                    f"PG p95 {_s(change['p95'])}, cold {_s(cold['median'])}",
                    "<= 0.5 s, p95 <= 1 s, cold <= 1.5 s",
                    target(f"PostgreSQL page {key}: change <= 0.5 s, p95 <= 1 s, cold <= 1.5 s", ok,
                           _s(change["median"]), "<= 0.5 s")))
        if p.get("errors"):
            out.append(("  error", p["errors"][0][:60], "", "", ""))
    q = pg.get("sql") or {}
    for name, f in (q.get("facets") or {}).items():
        lite = ((sql.get("facets") or {}).get(name) or {}).get("ours", {}).get("median")
        out.append((f"facet {name}", f"{_s(lite)} / {_s(f['ours']['median'])}", "", "", ""))
    for k, v in (q.get("events_per_month") or {}).items():
        lite = ((sql.get("events_per_month") or {}).get(k) or {}).get("median")
        out.append((f"events per month, {k}", f"{_s(lite)} / {_s(v['median'])}", "", "", ""))
    for k, v in (q.get("article_list") or {}).items():
        lite = ((sql.get("article_list") or {}).get(k) or {}).get("median")
        out.append((f"article list (count + 25), {k}", f"{_s(lite)} / {_s(v['median'])}", "", "", ""))
    for word, v in (q.get("search") or {}).items():
        o, raw = v["ours_list"]["median"], v["raw_pg"]["median"]
        lite = ((sql.get("search") or {}).get(word) or {}).get("ours_list", {}).get("median")
        out.append((f"search '{word}' top 25 ({v['hits']:,})", f"{_s(lite)} / {_s(o)}",
                    f"raw GIN @@ + ts_rank {_s(raw)}, {o / raw:.1f}x" if raw else "", "<= 1.5x raw",
                    target(f"PostgreSQL search '{word}' within 1.5x a raw ranked GIN match", o <= 1.5 * raw, _s(o),
                           f"<= {_s(1.5 * raw)}")))


def rows(r: dict) -> tuple[list[tuple[str, str, str, str, str]], list[dict]]:
    """Table rows ``(measure, value, comparison, target, verdict)`` and the target verdicts."""
    out: list[tuple[str, str, str, str, str]] = []
    targets: list[dict] = []

    def target(name: str, ok: bool | None, value: str, goal: str) -> str:
        targets.append({"target": name, "value": value, "goal": goal, "met": ok})
        return _verdict(ok)

    def section(title: str) -> None:
        out.append((f"[{title}]", "", "", "", ""))

    load, ing, tg = r.get("load", {}), r.get("ingest", {}), r.get("tagging", {})
    section("Ingest through dashboard.ingest.pipeline")
    rate = ing.get("articles_per_s")
    spread = ing.get("articles_per_s_runs") or []
    runs = f"median of {len(spread)}, {_r(min(spread), '')}-{_r(max(spread))}; " if len(spread) > 1 else ""
    out.append((f"ingest 1 core, {ing.get('articles', 0)} x ~{ing.get('mean_words', 0):.0f} words",
                _r(rate), f"{runs}{ing.get('machine_events_per_article', 0):.1f} events each",
                ">= 300/s", target("ingest >= 300 articles/s per core", None if rate is None else rate >= 300,
                                   _r(rate), ">= 300/s")))
    out.append(("ingest events, 1 core", _r(ing.get("events_per_s")), "", "", ""))
    if load:
        out.append((f"bulk load, {load.get('workers')} taggers + 1 writer", _r(load.get("articles_per_s_wall"))
                    if load.get("articles_per_s_wall") or not load.get("resumed") else "n/a (resumed)",
                    f"events {_r(load.get('events_per_s_wall'))}; db {_b(load.get('db_bytes'))}", "", ""))
        parts = [load.get("corpus_seconds"), load.get("articles_seconds"), load.get("events_seconds")]
        if not load.get("resumed") and all(p is not None for p in parts):
            total = sum(parts)
            full = load.get("size") == 1_000_000  # the target is set for the full run
            out.append(("database build (corpus + load)", f"{total / 60:,.1f} min",
                        f"corpus {parts[0]:,.0f} s, articles {parts[1]:,.0f} s, events {parts[2]:,.0f} s; "
                        f"built {load.get('built')}", "<= 60 min at 1M",
                        target("full build of the 1M database within 60 minutes", total <= 3600,
                               f"{total / 60:,.1f} min", "<= 60 min") if full else "n/a"))
    section("Tagging vs flashgeotext's country tagging (same texts; F1 of country tags)")
    ours, fgt = tg.get("ours_articles_per_s"), tg.get("fgt_articles_per_s")
    cours = tg.get("ours_countries_per_s")
    if cours is not None:
        # like for like: flashgeotext finds country and city names, so does this pass (the first
        # stage of the full tagger, tested to give exactly its country tags)
        same = "same tags as full" if tg.get("ours_countries_same_as_full") else "TAGS DIFFER from full"
        out.append((f"country tagging, {tg.get('n_synthetic')} texts", _r(cours),
                    f"flashgeotext {_r(fgt)}; {same}", "faster",
                    target("country tagging faster than flashgeotext", None if fgt is None else cours > fgt,
                           _r(cours), f"> {_r(fgt)}")))
    # the whole tagger also finds places, organisations, people with roles, topics, resolved dates
    # and events, which flashgeotext does not: no verdict against it, but one of its own.  Tagging
    # runs inside every ingest, so it must keep up with the ingest target (>= 300/s per core).  This
    # is the only place tagging speed is judged (the suite has no timed test: timings belong here).
    out.append((f"full tagging (tag_article), {tg.get('n_synthetic')} texts", _r(ours),
                f"flashgeotext {_r(fgt)}, countries only", ">= 300/s",
                target("full tagging >= 300 articles/s per core", None if ours is None else ours >= 300,
                       _r(ours), ">= 300/s")))
    for label, key in (("synthetic", "synthetic"), (f"{tg.get('n_eval', 0)} labelled real texts", "eval")):
        a, b = (tg.get(f"ours_{key}") or {}).get("f1"), (tg.get(f"fgt_{key}") or {}).get("f1")
        if a is None:
            continue
        out.append((f"country F1, {label}", f"{a:.3f}", "flashgeotext " + ("n/a" if b is None else f"{b:.3f}"),
                    "higher", target(f"country F1 higher than flashgeotext ({key})", None if b is None else a > b,
                                     f"{a:.3f}", f"> {b:.3f}" if b is not None else "n/a")))
    ds = r.get("datasets") or {}
    if ds.get("acled"):
        section("Event datasets (generated files in the ACLED 2023 and GDELT 2.0 layouts, synthetic; one core)")
        a, g = ds["acled"], ds["gdelt"]
        out.append(("ACLED parse", _r(a["parse_rows_per_s"]), f"{a['rows']:,} rows", "", ""))
        out.append(("ACLED import", _r(a["import_rows_per_s"]),
                    f"{a['stored']:,} rows into a new SQLite file; range {_r(a['import_range'][0])}-"
                    f"{_r(a['import_range'][1])}", ">= 10,000/s",
                    target("ACLED import >= 10,000 rows/s", a["import_rows_per_s"] >= 10_000,
                           _r(a["import_rows_per_s"]), ">= 10,000/s")))
        out.append(("GDELT read and filter", _s(g["read_filter_s"]), f"{g['rows']:,} rows, {g['kept']:,} in the region",
                    "< 10 s", target("GDELT read and filter 200k rows < 10 s", g["read_filter_s"] < 10,
                                      _s(g["read_filter_s"]), "< 10 s")))
        out.append(("GDELT import", _r(g["import_rows_per_s"]), "the region's rows into a new SQLite file",
                    ">= 10,000/s", target("GDELT import >= 10,000 rows/s", g["import_rows_per_s"] >= 10_000,
                                          _r(g["import_rows_per_s"]), ">= 10,000/s")))
    sql = r.get("sql", {})
    naive = sql.get("naive") or {}
    pages = r.get("pages") or {}
    if pages:
        section("Page reruns, AppTest median: cold (all st.cache_data cleared) / filter change (the filter's "
                "cached queries cleared) / warm; naive = load-everything")
        cold_ok = 0
        for key, p in pages.items():
            page, scen = key.split(".")
            cold, warm = p["cold"], p["warm"]
            change = p.get("change") or cold
            naive_cold = naive_change = None
            if naive and not naive.get("skipped") and page in ("map", "timeline"):
                naive_cold = naive["load"]["median"] + naive["filter"][scen]["median"]
                if "cache_hit" in naive:
                    naive_change = naive["cache_hit"]["median"] + naive["filter"][scen]["median"]
            ratio = naive_cold / cold["median"] if naive_cold and cold["median"] else None
            if p.get("timed_out"):
                value = f"> {p['timeout_s']:.0f} s, stopped"
                comp = ""
            else:
                value = f"{_s(cold['median'])} / {_s(change['median'])} / {_s(warm['median'])}"
                comp = f"p95 {_s(cold['p95'])} / {_s(change['p95'])} / {_s(warm['p95'])}"
                cold_ok += cold["median"] <= 0.5
            if ratio:
                comp += f"; naive cold {_s(naive_cold)}, {ratio:.1f}x"
                if naive_change:
                    comp += f"; naive change {_s(naive_change)}, {naive_change / change['median']:.1f}x"
            elif naive.get("skipped") and page in ("map", "timeline"):
                comp += f"; naive: {naive['estimated_memory_bytes'] / 1e9:.0f} GB, no fit"
            ok = change["median"] <= 0.5 and (ratio is None or ratio >= 10) and not p.get("timed_out")
            out.append((f"{page} {scen}", value, comp.lstrip("; "),
                        "change <= 0.5 s" + (", cold 10x" if ratio else ""),
                        target(f"page {key} rerun after a filter change <= 0.5 s"
                               + (" and cold >= 10x load-everything" if ratio else ""), ok,
                               value, "<= 0.5 s" + (f", >= 10x ({ratio:.1f}x)" if ratio else ""))))
            if p.get("errors"):
                out.append(("  error", p["errors"][0][:60], "", "", ""))
    if pages:
        out.append(("cold reruns <= 0.5 s", f"{cold_ok} of {len(pages)}", "first visit after the data changed",
                    "", ""))
        firsts = [p["first_run_s"] for k, p in pages.items() if k.startswith("expected.") and not p.get("timed_out")]
        if firsts:  # a new session opening the Expected page: its first page of items, nothing cached
            slowest = max(firsts)
            out.append(("expected page, first run", _s(slowest), "slowest filter; a new session, caches empty",
                        "<= 1 s", target("expected page first page <= 1 s", slowest <= 1.0, _s(slowest), "<= 1 s")))
    if sql:
        section("Queries beside the alternatives (median)")
        for name, f in (sql.get("facets") or {}).items():
            ours_m = f["ours"]["median"]
            ds = f.get("datasette")
            if ds is None:
                out.append((f"facet {name}", _s(ours_m), "", "", ""))
                continue
            match = "" if f.get("counts_match", True) else " COUNTS DIFFER"
            out.append((f"facet {name}", _s(ours_m), f"Datasette {_s(ds['median'])}{match}", "<= Datasette",
                        target(f"facet {name} no slower than Datasette", ours_m <= ds["median"], _s(ours_m),
                               f"<= {_s(ds['median'])}")))
        for k, v in (sql.get("events_per_month") or {}).items():
            out.append((f"events per month, {k}", _s(v["median"]), "", "", ""))
        for k, v in (sql.get("article_list") or {}).items():
            out.append((f"article list (count + 25), {k}", _s(v["median"]), "", "", ""))
        for q, v in (sql.get("search") or {}).items():
            o, raw = v["ours_list"]["median"], v["raw_fts5"]["median"]
            out.append((f"search '{q}' top 25 ({v['hits']:,})", _s(o), f"raw FTS5 {_s(raw)}, {o / raw:.1f}x",
                        "<= 2x FTS5", target(f"search '{q}' within 2x raw FTS5", o <= 2 * raw, _s(o),
                                             f"<= {_s(2 * raw)}")))
            out.append((f"search '{q}' count + top 25", _s(v["ours_count_and_list"]["median"]), "", "", ""))
        if naive.get("skipped"):
            out.append(("naive: read_sql events + links", "not run (memory)",
                        f"frame ~{naive['estimated_memory_bytes'] / 1e9:.0f} GB x 3; "
                        f"{naive['available_bytes'] / 1e9:.0f} GB free", "", ""))
        elif naive:
            out.append(("naive: read_sql events + links", _s(naive["load"]["median"]),
                        f"{naive['rows']:,} rows, {_b(naive['memory_bytes'])} in pandas", "", ""))
            if "cache_hit" in naive:
                out.append(("naive: st.cache_data hit (unpickle)", _s(naive["cache_hit"]["median"]),
                            "the floor of its warm rerun", "", ""))
            for k, v in naive["filter"].items():
                out.append((f"naive: filter in pandas, {k}", _s(v["median"]), "frame already in memory", "", ""))
    _postgres_rows(r, pages, sql, out, target, section)
    pay = r.get("payload", {})
    if pages or pay:
        section("Payload")
        for page in ("overview", "map", "timeline", "articles", "expected"):
            runs = [p["payload"] for k, p in pages.items() if k.startswith(page + ".") and not p.get("timed_out")]
            if not runs:
                continue
            sizes = [p["bytes"] for p in runs]
            fig = max(p.get("plotly_bytes", 0) for p in runs)
            out.append((f"{page} page, largest filter", _b(max(sizes)),
                        f"of which plotly JSON {_b(fig)}" if fig else "no plotly figure", "<= 2 MB",
                        target(f"payload {page} page <= 2 MB", max(sizes) <= 2 * MB, _b(max(sizes)), "<= 2 MB")))
        for n, v in (pay.get("map_scaling") or {}).items():
            out.append((f"map figure at {int(n):,} events", _b(v["bytes"]),
                        f"{v['rows']:,} {'grid cells' if v['aggregated'] else 'markers'}", "<= 2 MB",
                        target(f"map payload at {int(n):,} events <= 2 MB", v["bytes"] <= 2 * MB, _b(v["bytes"]),
                               "<= 2 MB")))
            if "rerun_warm_s" in v:
                cold, warm = v["rerun_cold_s"], v["rerun_warm_s"]
                out.append((f"map page rerun at {int(n):,} events", f"{cold * 1000:,.0f} ms / {warm * 1000:,.0f} ms",
                            "cold / warm median, AppTest", "cold <= 0.5 s",
                            target(f"map rerun at {int(n):,} events <= 0.5 s (cold: its queries run again)",
                                   cold <= 0.5, f"{cold:.2f} s cold", "<= 0.5 s")))
    size = r.get("size") or {}
    if size.get("bytes_per_article") is not None:
        section("Database size (SQLite pages in use; where the bytes go: dbstat)")
        per = size["bytes_per_article"]
        top = ", ".join(f"{name} {100 * b / size['in_use_bytes']:.0f} %" for name, b in list(size["by_name"].items())[:4])
        out.append(("database size per article", f"{per / 1024:,.1f} KB",
                    f"{size['events'] / max(size['articles'], 1):.1f} events each; {top}", "<= 15 KB",
                    target("database size <= 15 KB per article (with its machine events)", per <= 15 * 1024,
                           f"{per / 1024:,.1f} KB", "<= 15 KB")))
        out.append(("database file", _b(size["file_bytes"]),
                    f"indexes {100 * size['index_bytes'] / size['in_use_bytes']:.0f} %; free pages "
                    f"{_b(size['free_bytes'])} (VACUUM returns them)", "", ""))
    rss = r.get("rss", {})
    if rss:
        section("Memory")
        peak = rss.get("peak_mb")
        method = "streamlit run + Chromium" if str(rss.get("method", "")).startswith("streamlit") else "AppTest process"
        out.append(("app peak RSS", "n/a" if peak is None else f"{peak:,.0f} MB", method,
                    "<= 1.5 GB", target("app RSS <= 1.5 GB", None if peak is None else peak <= 1536,
                                        "n/a" if peak is None else f"{peak:,.0f} MB", "<= 1536 MB")))
    conc = r.get("concurrent") or {}
    if conc:
        n = conc.get("sessions", "?")
        section(f"Latency under load: {n} concurrent sessions loading the 5 pages, page load median / p95 "
                "(this database, a copy; browser = streamlit run + Chromium, a full page load each, judged; "
                "websocket = the server's share; page switch = the sidebar within one open session, not judged)")
        if conc.get("method") == "unavailable" or "error" in conc:
            out.append(("concurrent sessions", "n/a", str(conc.get("reason") or conc.get("error"))[:54], "", ""))
        single = conc.get("single_browser")
        if single:
            out.append(("1 browser alone (Chromium's floor)", f"{_s(single['median'])} / {_s(single['p95'])}",
                        f"{single['n']} loads, one session, nothing to wait for", "", ""))
        single = conc.get("single_switch")
        if single:
            out.append(("1 browser alone, page switch", f"{_s(single['median'])} / {_s(single['p95'])}",
                        f"{single['n']} switches in the sidebar, one session", "", ""))
        for phase, label in (("quiet", "nothing else running"), ("import", "during an import")):
            b, w = conc.get(f"{phase}_browser"), conc.get(f"{phase}_websocket")
            if not b:
                continue
            comp = f"{b['n']} loads, {b['timeouts']} timeouts"
            if w:
                comp += f"; websocket {_s(w['median'])} / {_s(w['p95'])}"
            if phase == "import":
                comp += "" if b.get("import_ran_throughout") else "; import done early"
            ok = b["median"] <= 2 and b["p95"] <= 5 and not b["n_errors"]
            value = f"{_s(b['median'])} / {_s(b['p95'])}"
            out.append((f"{n} browsers, {label}", value, comp, "<= 2 s / <= 5 s",
                        target(f"{n} concurrent sessions, {label}: median <= 2 s, p95 <= 5 s", ok, value,
                               "<= 2 s / <= 5 s")))
            for how, v in (("browser", b), ("websocket", w)):
                if v and v["n_errors"]:
                    out.append((f"  {how} errors: {v['n_errors']}", (v["errors"] or [""])[0][:26], "", "", ""))
            _cpu_and_slowest(out, b, f"load, {label}", f"page, {label}", "loads",
                             f"; {n} x both / cores bounds the median")
            sw = conc.get(f"{phase}_switch")
            if sw:
                comp = f"{sw['n']} switches, {sw['timeouts']} timeouts, {sw['n_errors']} errors; not judged"
                if phase == "import":
                    comp += "" if sw.get("import_ran_throughout") else "; import done early"
                out.append((f"  page switch, {label}", f"{_s(sw['median'])} / {_s(sw['p95'])}", comp, "", ""))
                if sw["n_errors"]:
                    out.append((f"  switch errors: {sw['n_errors']}", (sw["errors"] or [""])[0][:26], "", "", ""))
                _cpu_and_slowest(out, sw, f"switch, {label}", f"switch, {label}", "switches", "")
        imp = conc.get("import")
        if imp:
            out.append(("  the import", f"{imp['articles']} articles", f"{_s(imp['seconds'])}, exit {imp['exit']}",
                        "", ""))
    exp = r.get("export") or {}
    if exp:
        section("Export of every event, dashboard.export.write")
        if exp.get("filter"):
            out.append(("exported filter", f"{exp.get('events_in_filter', 0):,} events", exp["filter"][:42], "", ""))
        for fmt, v in exp.items():
            if not isinstance(v, dict):
                continue
            if "error" in v:
                out.append((fmt, "error", v["error"][:60], "", ""))
                continue
            out.append((f"{fmt}, {v['rows']:,} events", _s(v["seconds"]),
                        f"{_s(v['seconds_per_100k'])} per 100k" if v.get("seconds_per_100k") else "", "", ""))
    return out, targets


def format_table(size: int, table: list[tuple[str, str, str, str, str]]) -> str:
    headers = ("measure", "value", "compared with", "target", "verdict")
    # (a verdict column "met" / "MISSED"; "n/a" when the comparison could not be made)
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    widths = [min(w, cap) for w, cap in zip(widths, (38, 26, 54, 17, 7), strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [f"Benchmark at {size:,} articles and {size:,} events. {TARGET_NOTE}", line, "-" * len(line)]
    for row in table:
        if row[0].startswith("["):
            out.append(row[0])
            continue
        out.append("  ".join(c[:w].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(out)
