"""A generated corpus of hostile ingest and CLI inputs (issue 18): each case is built in a folder of its own.

A :class:`Case` says which files to write, the command line to run, and what must come of it: the
exit code, the good records that must be stored exactly as written, and the bad records that must be
named (file and line or record) on standard error. The expected values are written here by hand, from
the inputs, never computed by the code under test.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Texts of the region, each in the encodings that can hold it (UTF-8 always).
TEXTS = {
    "sr-cyr": ("Влада Србије о преговорима у Бриселу",
               "Влада Србије је данас саопштила да ће преговори са Приштином бити настављени у Бриселу "
               "следеће недеље, уз посредовање Европске уније. Премијер је рекао да очекује резултате."),
    "mk-cyr": ("Скопје и Софија за европскиот пат",
               "Владата во Скопје соопшти дека разговорите со Софија ќе продолжат следната недела. "
               "Министерот за надворешни работи изјави дека очекува напредок на европскиот пат."),
    "sr-cyr-latin": ("Београд и EU о енергетици",
                     "Министарка енергетике рекла је да ће Србија потписати споразум са EU о гасу, а NATO "
                     "и OSCE прате ситуацију. Коментар је објавио портал Danas из Београда."),
    "hr": ("Pregovori o prijelazu kod Brčkog",
           "Vlada je u četvrtak objavila da će pregovori o graničnom prijelazu kod Brčkog biti nastavljeni. "
           "Žitelji Šapca i Đakovice očekuju odluku, a ministar je rekao da će se čuti sve strane."),
    "bs": ("Sjednica Predsjedništva u Sarajevu",
           "Predsjedništvo Bosne i Hercegovine održalo je sjednicu u Sarajevu. Član Predsjedništva je rekao "
           "da će Vijeće ministara razmotriti zakon o državnoj imovini, što će izazvati žučnu raspravu."),
    "sq": ("Bisedimet në Bruksel vazhdojnë",
           "Qeveria e Kosovës njoftoi sot se bisedimet me Serbinë do të vazhdojnë javën e ardhshme në "
           "Bruksel, me ndërmjetësimin e Bashkimit Evropian. Kryeministri tha se pret përparim."),
    "de": ("Gespräche über Grenzübergänge",
           "Die Regierung in Sarajevo erklärte am Donnerstag, dass die Gespräche über die Grenzübergänge "
           "fortgesetzt würden. Der Außenminister äußerte sich zufrieden über die Fortschritte."),
    "fr": ("Négociations à Bruxelles",
           "Le gouvernement a annoncé jeudi que les négociations reprendraient à Bruxelles la semaine "
           "prochaine, sous l'égide de l'Union européenne. Le ministre a salué une étape très attendue."),
    "en": ("Talks resume in Brussels",
           "The government said on Thursday that talks with Pristina would resume in Brussels next week, "
           "mediated by the European Union. The prime minister said he expected progress."),
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1250", "cp1251", "cp1252", "iso8859_2", "latin_1"]
FORMATS = ["txt", "md", "jsonl", "json"]


@dataclass
class Case:
    """One hostile input and what must come of it."""

    id: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative path (str, or bytes for odd names) -> content
    args: list[str] | None = None  # the paths given to ingest (relative; default: every file written)
    exit: int = 0
    articles: list[dict] = field(default_factory=list)  # good articles: every key given must be stored as given
    events: list[dict] = field(default_factory=list)  # good events (id, title ...)
    bad: list[tuple[str, int | None]] = field(default_factory=list)  # (name as shown, line/record or None)
    setup: Callable[[Path], None] | None = None  # makes symlinks, odd names, ...
    db: str | None = None  # a hostile database URL ("{tmp}" is the case's folder); None: a good one
    db_setup: Callable[[Path], None] | None = None
    command: list[str] | None = None  # a command other than ingest
    stdout_closed: bool = False  # run in a subprocess with standard output closed early (| head)
    message: str | None = None  # words the error sentence must hold
    honour_permissions: bool = False  # as root: run without the capabilities that read past file modes


def article_text(title: str, body: str, fmt: str, front: dict | None = None) -> str:
    """The article as a file of format ``fmt`` would hold it (text, not yet encoded)."""
    if fmt == "txt":
        return f"{title}\n\n{body}\n"
    if fmt == "md":
        meta = {"title": title, **(front or {})}
        return "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n" + body + "\n"
    record = {"type": "article", "title": title, "body": body, **(front or {})}
    if fmt == "jsonl":
        return json.dumps(record, ensure_ascii=False) + "\n"
    return json.dumps([record], ensure_ascii=False)


def _event(i: int, **kw) -> dict:
    base = {"type": "event", "id": f"hostile-{i}", "title": f"Hostile test event {i}", "status": "occurred",
            "date_start": "2023-05-29", "date_precision": "day", "countries": ["XK"], "source_name": "hostile corpus"}
    base.update(kw)
    return base


def _good_event(i: int) -> dict:
    return {"id": f"hostile-{i}", "title": f"Hostile test event {i}"}


def encoding_cases() -> list[Case]:
    cases = []
    for lang, (title, body) in TEXTS.items():
        for enc in ENCODINGS:
            for fmt in FORMATS:
                text = article_text(title, body, fmt, {"outlet": "Hostile Outlet"} if fmt in ("md", "jsonl") else None)
                try:
                    data = text.encode(enc)
                except UnicodeEncodeError:
                    continue
                if enc not in ("utf-8", "utf-8-sig") and data == text.encode("utf-8"):
                    continue  # plain ASCII: nothing to tell apart
                expect = {"title": title, "body": body}
                if fmt in ("md", "jsonl"):
                    expect["outlet"] = "Hostile Outlet"
                cases.append(Case(f"enc-{lang}-{enc}-{fmt}", {f"a.{fmt}": data}, articles=[expect]))
    # JSON Lines whose lines mix UTF-8 and a Windows code page
    mixes = [("hr", "cp1250"), ("bs", "cp1250"), ("sr-cyr", "cp1251"), ("mk-cyr", "cp1251"), ("fr", "cp1252"),
             ("de", "cp1252"), ("sq", "cp1250"), ("hr", "iso8859_2")]
    for lang, enc in mixes:
        for order in ("utf8-first", "cp-first"):
            title, body = TEXTS[lang]
            other_title, other_body = TEXTS["en"] if lang != "en" else TEXTS["de"]
            native = article_text(title, body, "jsonl").encode(enc)
            utf = article_text(f"{title} (UTF-8)", f"{body} Also in UTF-8.", "jsonl").encode("utf-8")
            plain = article_text(other_title, other_body, "jsonl").encode("utf-8")
            lines = [utf, native, plain] if order == "utf8-first" else [native, plain, utf]
            cases.append(Case(f"mixed-jsonl-{lang}-{enc}-{order}", {"mixed.jsonl": b"".join(lines)},
                              articles=[{"title": title, "body": body},
                                        {"title": f"{title} (UTF-8)", "body": f"{body} Also in UTF-8."},
                                        {"title": other_title, "body": other_body}]))
    return cases


DEEP = "[" * 100_000 + "]" * 100_000
BAD_VALUES: dict[str, Callable[[int], str]] = {
    # each gives the text of one bad JSON record (an event unless said)
    "deep-nesting": lambda i: '{"type": "event", "id": "bad-' + str(i) + '", "title": "deep", "attributes": ' + DEEP + "}",
    "deep-object": lambda i: '{"type": "event", "id": "bad-' + str(i) + '", "title": "deep", "summary": '
    + '{"a": ' * 5000 + "1" + "}" * 5000 + "}",
    "huge-int-lat": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "lat": ' + "9" * 5000 + "}",
    "long-int-lat": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "lat": 1' + "0" * 400 + "}",
    "huge-int-fatalities": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "fatalities": 1' + "0" * 400 + "}",
    "surrogate-title": lambda i: '{"type": "article", "title": "bad \\ud800 title ' + str(i)
    + '", "body": "A body that is fine."}',
    "surrogate-body": lambda i: '{"type": "article", "title": "Surrogate ' + str(i) + '", "body": "bad \\udfff body"}',
    "surrogate-event": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "summary": "x\\ud83d"}',
    "lat-true": lambda i: json.dumps(_event(i, id=f"bad-{i}", lat=True, lon=20.0)),
    "lon-false": lambda i: json.dumps(_event(i, id=f"bad-{i}", lat=42.0, lon=False)),
    "lat-text": lambda i: json.dumps(_event(i, id=f"bad-{i}", lat="abc", lon=20.0)),
    "lat-nan": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "lat": NaN, "lon": 20.0}',
    "lat-infinity": lambda i: json.dumps(_event(i, id=f"bad-{i}"))[:-1] + ', "lat": Infinity, "lon": 20.0}',
    "fatalities-true": lambda i: json.dumps(_event(i, id=f"bad-{i}", fatalities=True)),
    "published-garbage": lambda i: json.dumps({"type": "article", "title": f"Garbage date {i}",
                                                "body": "A body.", "published": "2023-01-01garbage"}),
    "published-trailing": lambda i: json.dumps({"type": "article", "title": f"Trailing date {i}",
                                                 "body": "A body.", "published": "2023-01-01 and more"}),
    "published-impossible": lambda i: json.dumps({"type": "article", "title": f"Impossible {i}",
                                                   "body": "A body.", "published": "2023-02-30"}),
    "date-start-garbage": lambda i: json.dumps(_event(i, id=f"bad-{i}", date_start="2023-05-29xyz")),
    "published-number": lambda i: json.dumps({"type": "article", "title": f"Numeric date {i}",
                                               "body": "A body.", "published": 20230101}),
    "title-object": lambda i: json.dumps({"type": "article", "title": {"a": 1}, "body": "A body."}),
    "body-list": lambda i: json.dumps({"type": "article", "title": "List body", "body": ["a", "b"]}),
    "not-object": lambda i: "[1, 2, 3]",
    "truncated": lambda i: '{"type": "event", "id": "bad-' + str(i) + '", "title": "cut',
    "unknown-type": lambda i: json.dumps({"type": "rumour", "id": f"bad-{i}"}),
    "event-no-id": lambda i: json.dumps({"type": "event", "title": "no id", "status": "occurred"}),
    "control-title": lambda i: json.dumps({"type": "article", "title": f"bell \u0007 {i}", "body": "A body."}),
    "nul-body": lambda i: json.dumps({"type": "article", "title": f"Nul body {i}", "body": "a\u0000b"}),
}
# In a JSON document (not JSON Lines) some records break the whole document: the file is named then.
WHOLE_FILE_IN_JSON = {"deep-nesting", "deep-object", "truncated", "not-object"}


def bad_record_cases() -> list[Case]:
    cases = []
    for kind, make in BAD_VALUES.items():
        for position in (0, 1, 2):
            for fmt in ("jsonl", "json"):
                good = [json.dumps(_event(10 + k)) for k in range(2)]
                records = good[:position] + [make(1)] + good[position:]
                name = f"records.{fmt}"
                if fmt == "jsonl":
                    content = "\n".join(records) + "\n"
                    bad = [(name, position + 1)]
                    events = [_good_event(10 + k) for k in range(2)]
                elif kind in WHOLE_FILE_IN_JSON:
                    if kind == "not-object":
                        content = "[" + ",".join(records) + "]"
                        bad, events = [(name, position + 1)], [_good_event(10 + k) for k in range(2)]
                    else:
                        content = "[" + ",".join(records) + "]"
                        bad, events = [(name, None)], []
                else:
                    content = "[" + ",".join(records) + "]"
                    bad = [(name, position + 1)]
                    events = [_good_event(10 + k) for k in range(2)]
                cases.append(Case(f"bad-{kind}-{position}-{fmt}", {name: content.encode("utf-8")}, exit=1,
                                  events=events, bad=bad))
    return cases


def _junk(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(size))


def _symlink_loop(root: Path) -> None:
    (root / "d" / "sub").mkdir(parents=True, exist_ok=True)
    (root / "d" / "sub" / "loop").symlink_to(root / "d")
    (root / "d" / "sub" / "back").symlink_to("..")


def _unreadable(root: Path) -> None:
    (root / "locked").mkdir(exist_ok=True)
    (root / "locked" / "x.md").write_text("Title\n\nBody\n", encoding="utf-8")
    os.chmod(root / "locked", 0)


GOOD_TITLE, GOOD_BODY = TEXTS["en"]
GOOD = article_text(GOOD_TITLE, GOOD_BODY, "txt").encode("utf-8")
GOOD_ARTICLE = {"title": GOOD_TITLE, "body": GOOD_BODY}


def file_cases() -> list[Case]:
    cases = []
    # binary junk without NUL bytes, and with them
    for seed in range(6):
        for suffix in ("txt", "md", "jsonl", "html"):
            cases.append(Case(f"junk-{seed}-{suffix}", {f"junk.{suffix}": _junk(seed, 200 + 700 * seed),
                                                         "good.txt": GOOD},
                              exit=1, articles=[GOOD_ARTICLE],
                              bad=[(f"junk.{suffix}", 1 if suffix == "jsonl" else None)]))  # JSONL: line by line
    cases.append(Case("nul-binary", {"x.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "good.txt": GOOD}, exit=1,
                      articles=[GOOD_ARTICLE], bad=[("x.txt", None)]))
    cases.append(Case("empty", {"x.md": b"", "good.txt": GOOD}, exit=1, articles=[GOOD_ARTICLE], bad=[("x.md", None)]))
    # a file with an unknown extension named on the command line
    for name in ("script.sh", "data.yaml", "noextension", "notes.ini", "program.py", "archive.tar"):
        cases.append(Case(f"unknown-ext-{name}", {name: b"echo hello world\nrm -rf /tmp/x\n", "good.txt": GOOD},
                          exit=1, articles=[GOOD_ARTICLE], bad=[(name, None)]))
    # ... but in a folder it is passed over (folders take the supported suffixes only)
    cases.append(Case("unknown-ext-in-folder", {"f/script.sh": b"echo hi\n", "f/good.txt": GOOD}, args=["f"],
                      articles=[GOOD_ARTICLE]))
    # front matter: Windows line endings, never closed, BOM
    front = {"url": "https://example.org/story", "outlet": "Example News", "published": "2022-11-24"}
    for fmt in ("md", "txt"):
        text = "---\ntitle: Licence plates agreed\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + \
            "---\n" + GOOD_BODY + "\n"
        expect = {"title": "Licence plates agreed", "body": GOOD_BODY, "url": front["url"],
                  "outlet": front["outlet"], "published": front["published"]}
        cases.append(Case(f"front-crlf-{fmt}", {f"a.{fmt}": text.replace("\n", "\r\n").encode()}, articles=[expect]))
        cases.append(Case(f"front-bom-crlf-{fmt}", {f"a.{fmt}": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()},
                          articles=[expect]))
        cases.append(Case(f"front-cr-only-{fmt}", {f"a.{fmt}": text.replace("\n", "\r").encode()}, articles=[expect]))
        unclosed = "---\ntitle: Never closed\nurl: https://example.org/x\n\n" + GOOD_BODY + "\n"
        cases.append(Case(f"front-unclosed-{fmt}", {f"a.{fmt}": unclosed.encode(), "good.txt": GOOD}, exit=1,
                          articles=[GOOD_ARTICLE], bad=[(f"a.{fmt}", 1)]))
    # Atom entries whose id is a urn: or tag: with no http link
    for scheme, entry_id in (("urn", "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"),
                             ("tag", "tag:example.org,2024:entry-1"), ("urn-isbn", "urn:isbn:0451450523")):
        atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                "<title>Example Feed</title><id>urn:feed</id><updated>2024-03-01T10:00:00Z</updated>"
                f"<entry><id>{entry_id}</id><title>Assembly adopts the budget</title>"
                "<updated>2024-03-01T10:00:00Z</updated>"
                f"<content type='text'>{GOOD_BODY}</content></entry></feed>")
        cases.append(Case(f"atom-{scheme}-id", {"feed.atom": atom.encode()},
                          articles=[{"title": "Assembly adopts the budget", "body": GOOD_BODY,
                                     "published": "2024-03-01", "outlet": "Example Feed"}]))
    # symlink loops under a glob and a folder
    cases.append(Case("symlink-loop-glob", {"d/a.md": GOOD}, args=["d/**/*.md"], setup=_symlink_loop,
                      articles=[GOOD_ARTICLE]))
    cases.append(Case("symlink-loop-folder", {"d/a.md": GOOD}, args=["d"], setup=_symlink_loop,
                      articles=[GOOD_ARTICLE]))
    cases.append(Case("glob-nothing", {"good.txt": GOOD}, args=["nothing/**/*.md"], exit=2,
                      bad=[("nothing/**/*.md", None)]))
    # root reads every folder: run as root, the case drops the capabilities that let it (see test_hostile._run)
    cases.append(Case("unreadable-folder", {"good.txt": GOOD}, args=[".", "locked"], setup=_unreadable, exit=1,
                      articles=[GOOD_ARTICLE], bad=[("locked", None)], honour_permissions=True))
    # names that forge report lines, and names that are not UTF-8
    forged = ["evil\nFAKE: all good.jsonl", "tab\there.jsonl", "esc\x1b[2Jclear.jsonl", "cr\rback.jsonl",
              "bell\x07.jsonl", "del\x7f.jsonl"]
    for n, name in enumerate(forged):
        shown = name.encode("unicode_escape").decode("ascii")
        bad_line = '{"type": "event", "id": "x"}\n' + json.dumps(_event(20 + n)) + "\n"
        cases.append(Case(f"forged-name-{n}", {name: bad_line.encode()}, exit=1, events=[_good_event(20 + n)],
                          bad=[(shown, 1)]))
    for n, raw in enumerate([b"caf\xe9.txt", b"\xff\xfe.md", b"bad\x80name.txt"]):
        shown = raw.decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape").decode("latin-1")
        shown = "".join(c if ord(c) < 128 else f"\\x{ord(c):02x}" for c in shown)
        cases.append(Case(f"non-utf8-name-{n}", {raw.decode("utf-8", "surrogateescape"): GOOD, "good.jsonl":
                                                  (json.dumps(_event(30 + n)) + "\n").encode()},
                          args=["."], articles=[GOOD_ARTICLE], events=[_good_event(30 + n)]))
        cases.append(Case(f"non-utf8-name-bad-{n}", {raw.decode("utf-8", "surrogateescape"): b"", "good.txt": GOOD},
                          args=["."], exit=1, articles=[GOOD_ARTICLE], bad=[(shown, None)]))
    # an event's article_file may not make us read outside the folders given
    for n, target in enumerate(["/etc/passwd", "../outside.txt", "../../../../../../etc/hostname", "/nonexistent/x.txt"]):
        line = json.dumps(_event(40 + n, article_file=target, verification="analyst"))
        cases.append(Case(f"article-file-outside-{n}", {"in/events.jsonl": (line + "\n").encode(), "outside.txt": GOOD,
                                                        "in/good.jsonl": (json.dumps(_event(50 + n)) + "\n").encode()},
                          args=["in"], exit=1, events=[_good_event(50 + n)], bad=[("events.jsonl", 1)],
                          message="outside"))
    # resource limits
    cases.append(Case("long-line", {"big.jsonl": (json.dumps(_event(60)) + "\n" + '{"type": "article", "title": "x", '
                                                  '"body": "' + "a" * 9_000_000 + '"}\n'
                                                  + json.dumps(_event(61)) + "\n").encode()},
                      exit=1, events=[_good_event(60), _good_event(61)], bad=[("big.jsonl", 2)]))
    cases.append(Case("huge-text-file", {"huge.txt": b"Title\n\n" + b"word " * 2_000_000, "good.txt": GOOD}, exit=1,
                      articles=[GOOD_ARTICLE], bad=[("huge.txt", None)]))
    cases.append(Case("huge-single-line-html", {"huge.html": b"<html><body><p>" + b"<b>x</b> " * 1_200_000 + b"</p>",
                                                 "good.txt": GOOD}, exit=1, articles=[GOOD_ARTICLE],
                      bad=[("huge.html", None)]))
    many = "".join("<div><span>" * 40 + f"Paragraph {k} of a page. " * 3 + "</span></div>" * 40 for k in range(60))
    cases.append(Case("nested-html", {"page.html": f"<html><head><title>Deep page</title></head><body>{many}</body></html>"
                                      .encode()}, articles=[{"title": "Deep page"}]))
    # a name with glob characters that exists is a name; JSON Lines with CRLF, a BOM and a code page
    cases.append(Case("literal-glob-name", {"rep[1].txt": GOOD}, articles=[GOOD_ARTICLE]))
    for lang, enc in (("hr", "cp1250"), ("sr-cyr", "cp1251"), ("fr", "cp1252")):
        title, body = TEXTS[lang]
        data = b"\xef\xbb\xbf" + (json.dumps(_event(80)) + "\r\n").encode() \
            + article_text(title, body, "jsonl").replace("\n", "\r\n").encode(enc)
        cases.append(Case(f"jsonl-bom-crlf-{lang}", {"crlf.jsonl": data}, events=[_good_event(80)],
                          articles=[{"title": title, "body": body}]))
    # a bad record does not stop the run: every later record and file goes in, and the summary is printed
    for n in range(4):
        files = {f"f{k}.jsonl": (json.dumps(_event(70 + 10 * n + k)) + "\n").encode() for k in range(3)}
        files[f"f{n % 3}.jsonl"] = ('{"type": "event", "id": "b", "title": "x", "status": "occurred", "lat": 1' + "0" * 400 + "}\n"
                                    + json.dumps(_event(70 + 10 * n + n % 3)) + "\n").encode()
        cases.append(Case(f"run-continues-{n}", files, exit=1,
                          events=[_good_event(70 + 10 * n + k) for k in range(3)], bad=[(f"f{n % 3}.jsonl", 1)]))
    return cases


def _text_file_db(root: Path) -> None:
    (root / "notes.db").write_text("these are my notes, not a database\n", encoding="utf-8")


def _foreign_db(root: Path) -> None:
    import sqlite3

    con = sqlite3.connect(root / "foreign.db")
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    con.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    con.commit()
    con.close()


def _foreign_articles_db(root: Path) -> None:
    import sqlite3

    con = sqlite3.connect(root / "blog.db")
    con.execute("CREATE TABLE articles (slug TEXT PRIMARY KEY, html TEXT)")
    con.commit()
    con.close()


def _a_file_as_folder(root: Path) -> None:
    (root / "plain").write_text("x", encoding="utf-8")


def cli_cases() -> list[Case]:
    good = {"good.txt": GOOD}
    cases = [
        Case("db-bad-url", good, db="not a url at all", exit=2, message="database"),
        Case("db-bad-scheme", good, db="nosuchdb://host/x", exit=2, message="database"),
        Case("db-no-driver", good, db="mysql://user@localhost/x", exit=2, message="database"),
        Case("db-unreachable", good, db="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", exit=2,
             message="database"),
        Case("db-text-file", good, db="sqlite:///{tmp}/notes.db", db_setup=_text_file_db, exit=2, message="database"),
        Case("db-foreign-schema", good, db="sqlite:///{tmp}/foreign.db", db_setup=_foreign_db, exit=2,
             message="database"),
        Case("db-foreign-articles", good, db="sqlite:///{tmp}/blog.db", db_setup=_foreign_articles_db, exit=2,
             message="database"),
        Case("db-under-a-file", good, db="sqlite:///{tmp}/plain/x.db", db_setup=_a_file_as_folder, exit=2),
        Case("db-a-folder", good, db="sqlite:///{tmp}", exit=2, message="database"),
        Case("export-bad-db", good, db="sqlite:///{tmp}/notes.db", db_setup=_text_file_db, exit=2,
             command=["export", "events"]),
        Case("export-to-missing-folder", good, exit=2, command=["export", "events", "-o", "{tmp}/no/such/dir/x.csv"]),
        Case("export-broken-pipe", good, exit=2, command=["export", "articles", "--format", "jsonl"],
             stdout_closed=True),
        Case("ingest-nothing", {}, args=["missing.md"], exit=2, bad=[("missing.md", None)]),
    ]
    return cases


def all_cases() -> list[Case]:
    cases = encoding_cases() + bad_record_cases() + file_cases() + cli_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases
