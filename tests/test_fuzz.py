"""Fuzzing (hypothesis) end to end through the CLI: hostile record files and hostile arguments.

* Record files: arbitrary text and bytes (control characters, NULs, GBK, UTF-16, UTF-8 with a
  BOM), mutations of real records, wrong types and huge values in every field, deep nesting, alias
  bombs, odd file names — written into a records repository, then `oa validate --json`. It never
  raises; it exits 0 or 1, and every finding carries a registered code (oa.core.codes.CODES), a
  path and a line.
* Arguments: path traversal (`../`, absolute paths), unicode, control characters, undecodable
  bytes as a GBK terminal passes them, empty and very long strings, in the ID, action, `--as`,
  `--dept`, `--state`, `--person`, `--department`, `--sort`, `--set KEY=VALUE` and `--entry`
  slots of the commands. The exit status is 0, 1 or 2, there is no traceback and no OA099, a
  failure says why in one coded line, and a refused write changes nothing.

The examples are counted; `pytest -s tests/test_fuzz.py` prints the counts (docs/reliability.md
quotes them). Click's own usage errors (`No such option: -x`) are counted apart: they are not
OA-coded, which test_usage_errors_are_coded pins as a known gap.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oa.cli.app import app
from oa.core.codes import CODES
from tests.conftest import BASE_ENV, DEMO, NO_RECORDS

FUZZ = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ARGS = settings(FUZZ, max_examples=15)

#: a coded message, as oa prints it: `oa: OA005 …` or `path:line: OA608 …`
CODED = re.compile(r"(?:^|: )(OA\d{3})\b", re.MULTILINE)
#: click's own usage error (unknown option, missing value): exit 2, not OA-coded
USAGE = re.compile(r"^Error: ", re.MULTILINE)

#: how many examples each test ran, and what they produced (printed at the end of the module)
COUNTS: Counter[str] = Counter()
CODES_SEEN: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    print("\nfuzz examples run:")
    for name, n in sorted(COUNTS.items()):
        print(f"  {n:>6}  {name}")
    print(f"  {sum(v for k, v in COUNTS.items() if k.startswith('record')):>6}  record files")
    print(f"  {sum(v for k, v in COUNTS.items() if k.startswith('argument')):>6}  arguments")
    print("codes reported: " + ", ".join(f"{c} {n}" for c, n in sorted(CODES_SEEN.items())))


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def invoke(root: Path, args: list[str]) -> Any:
    """Run the CLI in process; a Python exception (other than SystemExit) fails the test."""
    res = CliRunner().invoke(app, ["--root", str(root), *args])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"oa {args!r} raised {res.exception!r}") from res.exception
    assert "Traceback" not in res.output, res.output
    assert "OA099" not in res.output, res.output
    return res


# -- record files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo configuration with two records of its own: a whole-repository check is quick, so
    each example can be validated from scratch."""
    root = tmp_path_factory.mktemp("fuzz") / "office"
    shutil.copytree(DEMO, root, ignore=NO_RECORDS)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in BASE_ENV.items():
            mp.setenv(key, value)
        for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start\n\nOA-Import: fuzz"]):
            subprocess.run(["git", *cmd], cwd=root, check=True, capture_output=True)
        for args in (
            ["doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--to", "浏阳市教育局"],
            ["doc", "receive", "--from", "浏阳市财政局", "--title", "关于测试的通知"],
        ):
            extra = ["--as", "pengwei"] if args[1] == "new" else ["--category", "交办性"]
            assert invoke(root, [*args, *extra]).exit_code == 0
    assert validate(root) == []
    yield root


#: every demo record's text: the seeds that mutations start from
SEEDS = {
    p.relative_to(DEMO).as_posix(): p.read_text(encoding="utf-8")
    for p in sorted(DEMO.glob("*/*/*.yaml"))
}
SEED_PATHS = sorted(SEEDS)


def validate(root: Path) -> list[dict[str, Any]]:
    res = invoke(root, ["validate", "--json"])
    assert res.exit_code in (0, 1), res.output
    report = json.loads(res.stdout)
    for f in report["findings"]:
        assert f["code"] in CODES, f
        assert isinstance(f["path"], str) and f["path"], f
        assert isinstance(f["line"], int) and f["line"] >= 0, f
        assert f["message"].strip(), f
        CODES_SEEN[f["code"]] += 1
    if res.exit_code == 1:
        assert report["findings"], res.output
    return list(report["findings"])


def put(root: Path, rel: str, data: bytes) -> Path:
    """Write a file as an editor would (a new inode, so no cache can mistake it for the last)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def check_file(root: Path, rel: str, data: bytes) -> list[dict[str, Any]]:
    """Validate the repository with `data` at `rel`; remove it again."""
    path = put(root, rel, data)
    try:
        found = validate(root)
    finally:
        path.unlink()
        for parent in path.parents:
            if parent == root or any(parent.iterdir()):
                break
            parent.rmdir()
    return found


#: scalars of every YAML type and some nasty ones
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**18, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["", "~", "null", "yes", "0x1F", "1e400", "2026-13-45", "浏后勤发〔2026〕0号"]),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
#: bits of YAML syntax, glued to arbitrary text
TOKENS = [
    "id: ",
    "kind: outgoing\n",
    "history:\n",
    "  - ",
    "- ",
    ": ",
    "\n",
    "  ",
    "\t",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system [ls]\n",
    "!!binary ",
    "!!int ",
    "!custom ",
    "[",
    "]",
    "{",
    "}",
    "? ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "\ufeff",
    "\x00",
    "\r",
    "\x85",
    "\u2028",
    "@",
    "`",
]
YAMLISH = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=30).map(
    "".join
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "gbk", "gb18030", "latin-1"]


@FUZZ
@given(st.data())
def test_record_text_any_encoding(small_office: Path, data: st.DataObject) -> None:
    """Arbitrary and YAML-like text, in UTF-8 (with or without BOM), UTF-16/32, GBK, Latin-1."""
    text = data.draw(st.one_of(st.text(max_size=300), YAMLISH), label="text")
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    raw = text.encode(encoding, errors="replace")
    COUNTS[f"record text ({'utf-8' if encoding.startswith('utf-8') else 'other'})"] += 1
    check_file(small_office, "outgoing/2026/OUT-2026-0009.yaml", raw)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_record_bytes(small_office: Path, raw: bytes) -> None:
    """Arbitrary bytes, NULs and invalid UTF-8 included."""
    COUNTS["record bytes"] += 1
    check_file(small_office, "incoming/2026/IN-2026-0009.yaml", raw)


@FUZZ
@given(st.data())
def test_record_mutations(small_office: Path, data: st.DataObject) -> None:
    """A real record with text inserted, deleted or replaced anywhere (or re-encoded half way)."""
    rel = data.draw(st.sampled_from(SEED_PATHS), label="seed")
    text = SEEDS[rel]
    a = data.draw(st.integers(0, len(text)), label="at")
    b = data.draw(st.integers(a, min(len(text), a + 40)), label="to")
    piece = data.draw(st.one_of(YAMLISH, st.text(max_size=20)), label="piece")
    mutated = text[:a] + piece + text[b:]
    how = data.draw(st.sampled_from(["utf-8", "tail-gbk", "crlf", "cr"]), label="how")
    if how == "tail-gbk":  # a file saved half by one editor, half by another
        raw = mutated[:a].encode() + mutated[a:].encode("gbk", errors="replace")
    elif how == "crlf":
        raw = mutated.replace("\n", "\r\n").encode()
    elif how == "cr":
        raw = mutated.replace("\n", "\r").encode()
    else:
        raw = mutated.encode("utf-8", errors="surrogatepass")
    COUNTS["record mutations"] += 1
    check_file(small_office, rel, raw)


def _paths(data: Any) -> list[tuple[Any, ...]]:
    """Every key path into a record's mapping (top-level keys, history entries and their keys)."""
    out: list[tuple[Any, ...]] = []
    for key, value in data.items():
        out.append((key,))
        if isinstance(value, list):
            for i, item in enumerate(value):
                out.append((key, i))
                if isinstance(item, dict):
                    out += [(key, i, k) for k in item]
        elif isinstance(value, dict):
            out += [(key, k) for k in value]
    return out


@FUZZ
@given(st.data())
def test_record_wrong_types(small_office: Path, data: st.DataObject) -> None:
    """Any field of a real record (or a history entry) given a value of any type, or removed, or
    an unknown field added: schema findings (OA2xx) and friends, never a crash."""
    rel = data.draw(st.sampled_from(SEED_PATHS), label="seed")
    record = yaml.safe_load(SEEDS[rel])
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(st.sampled_from(_paths(record)), label="path")
        node = record
        for key in path[:-1]:
            node = node[key]
        if data.draw(st.booleans(), label="remove"):
            del node[path[-1]]
            if not record:
                break
        else:
            node[path[-1]] = data.draw(VALUE, label="value")
        if not _paths(record):
            break
    if data.draw(st.booleans(), label="unknown field"):
        record[data.draw(st.text(max_size=10), label="key")] = data.draw(VALUE)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    COUNTS["record wrong types"] += 1
    check_file(small_office, rel, text.encode("utf-8", errors="surrogatepass"))


def _nest(kind: str, n: int) -> str:
    if kind == "flow-list":
        return "id: x\nkind: outgoing\nbody: " + "[" * n + "]" * n + "\n"
    if kind == "flow-map":
        return "id: x\nbody: " + "{a: " * n + "b" + "}" * n + "\n"
    return "id: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "v\n"


def _bomb(levels: int, width: int) -> str:
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, Callable[[int], str]] = {
    "deep flow list": lambda n: _nest("flow-list", n),
    "deep flow map": lambda n: _nest("flow-map", n),
    "deep block map": lambda n: _nest("block", n),
    "alias bomb": lambda n: _bomb(2 + n % 9, 2 + n % 9),
    "merge keys": lambda n: (
        "base: &b {state: draft}\n" + "".join(f"k{i}:\n  <<: *b\n" for i in range(n % 50))
    ),
    "huge title": lambda n: SEEDS[SEED_PATHS[0]].replace("title: ", "title: " + "长" * n, 1),
    "huge number": lambda n: SEEDS[SEED_PATHS[0]].replace(
        "state:", f"copies: {'9' * n}\nstate:", 1
    ),
    "many keys": lambda n: "".join(f"k{i}: {i}\n" for i in range(n)),
    "long history": lambda n: (
        SEEDS[SEED_PATHS[0]]
        + "".join(
            f"  - at: 2026-01-01T00:00:00+08:00\n    by: wangfang\n    action: review\n    to: x{i}\n"
            for i in range(n)
        )
    ),
    "many documents": lambda n: "---\nid: x\n" * (1 + n % 500),
    "python tags": lambda n: f"id: !!python/object/apply:os.system ['echo {n}']\n",
}


@settings(FUZZ, max_examples=40)
@given(kind=st.sampled_from(sorted(HOSTILE)), n=st.integers(1, 400_000))
def test_record_hostile_shapes(small_office: Path, kind: str, n: int) -> None:
    """Nesting past 32 levels (and far past libyaml's own limit), alias bombs, merge keys, values
    past 1 MiB, thousands of keys or history entries: each a coded finding, quickly."""
    if kind.startswith("deep"):
        n = n % (600 if kind == "deep block map" else 20_000)  # block nesting grows as n²
    elif kind in ("many keys", "long history"):
        n = n % (
            1_500 if kind == "many keys" else 300
        )  # a finding's line comes from a slow re-parse (docs/reliability.md)
    text = HOSTILE[kind](n)
    COUNTS[f"record hostile: {kind}"] += 1
    found = check_file(small_office, "outgoing/2026/OUT-2026-0009.yaml", text.encode())
    assert found or kind in ("huge title", "huge number", "long history"), text[:200]


FILE_NAME = st.one_of(
    st.text(st.characters(exclude_characters="/\x00", codec="utf-8"), min_size=1, max_size=40),
    st.sampled_from(["..", ".", "...", "OUT-2026-0001", "out-2026-0001", "OUT-2026-0001 ", "名"]),
)


@FUZZ
@given(
    folder=st.sampled_from(["outgoing/2026", "incoming/1999", "misc/2026"]),
    name=FILE_NAME,
)
def test_record_file_names(small_office: Path, folder: str, name: str) -> None:
    """Files with odd names (unicode, spaces, dots, control characters) where records live."""
    if name in (".", "..") or len((name + ".yaml").encode()) > 255:
        name = "x" + name[:40]
    COUNTS["record file names"] += 1
    found = check_file(
        small_office, f"{folder}/{name}.yaml", b"id: OUT-2026-0001\nkind: outgoing\n"
    )
    assert found, f"{folder}/{name}.yaml"


def test_record_in_a_folder_that_is_not_a_year_is_reported(small_office: Path) -> None:
    found = check_file(small_office, "outgoing/x/OUT-2026-0001.yaml", b"id: OUT-2026-0001\n")
    assert any(f["path"].startswith("outgoing/x") for f in found), found


# -- arguments -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzzcli") / "office"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in BASE_ENV.items():
            mp.setenv(key, value)
        assert CliRunner().invoke(app, ["init", str(root), "--demo"]).exit_code == 0
    yield root


TRAVERSAL = st.sampled_from(
    [
        "../",
        "../../../../etc/passwd",
        "/etc/passwd",
        "/",
        ".",
        "..",
        "~",
        "..\\..\\windows",
        "C:\\Windows\\system32",
        "\\\\server\\share",
        "%2e%2e%2f",
        "file:///etc/passwd",
        "outgoing/2026/OUT-2026-0001.yaml",
        "OUT-2026-0001/../../../oa.yaml",
        "OUT-2026-0001/../OUT-2026-0002",
        ".git/config",
        ".oa/index.pickle",
    ]
)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "-",
        "--",
        "-x",
        "=",
        "==",
        "=x",
        "x=",
        "a=b=c",
        "OUT-2026-0001",
        "OUT-2026-99999",
        "OUT-2026-0001\n",
        "OUT-2026-0001\x00",
        "out-2026-0001",
        "ＯＵＴ-２０２６-０００１",
        "OUT-0000-0000",
        "IN-2026-0012",
        "ZZZZZZZZ-2026-0001",
        "浏后勤发",
        "王芳",
        "wangfang",
        "wangfang@lyjghq.gov.cn",
        "办公室",
        "BGS",
        "draft",
        "number",
        "history",
        "state",
        "copies=1",
        "copies=-1",
        "copies=[1, 2]",
        "copies={a: 1}",
        "copies=&a x",
        "copies=*a",
        "copies=!!python/object/apply:os.system [ls]",
        "copies=" + "9" * 500,
        "state=archived",
        "history=[]",
        "department=../BGS",
        "course=\x00",
        "\u202e\u2066",
        "\ufeff",
        "\udcff\udcfe",
        "\x1b[31mred",
    ]
)
#: what a terminal in a GBK (or other) locale passes: bytes Python decodes with surrogateescape
FOREIGN = st.builds(
    lambda text, enc: text.encode(enc, errors="replace").decode("utf-8", errors="surrogateescape"),
    st.text(max_size=12),
    st.sampled_from(["gbk", "utf-16", "latin-1", "utf-8"]),
)
ARG = st.one_of(
    SPECIAL,
    TRAVERSAL,
    st.builds(lambda a, b: a + b, TRAVERSAL, st.text(max_size=10)),
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=8),
    FOREIGN,
    st.integers(1, 100_000).map(lambda n: "长" * n),
)

#: (name, arguments with {} for the fuzzed one, whether it may write)
TEMPLATES: list[tuple[str, list[str], bool]] = [
    ("show ID", ["show", "{}"], False),
    ("show ID --json", ["show", "{}", "--json"], False),
    ("log ID", ["log", "{}"], False),
    ("advance ID", ["advance", "{}", "review"], True),
    ("advance ACTION", ["advance", "OUT-2026-0020", "{}"], True),
    ("advance --as", ["advance", "OUT-2026-0020", "review", "--as", "{}"], True),
    ("advance --opinion", ["advance", "OUT-2026-0020", "review", "-m", "{}"], True),
    ("advance --set", ["advance", "OUT-2026-0013", "print", "--set", "{}"], True),
    ("advance --set copies=", ["advance", "OUT-2026-0013", "print", "--set", "copies={}"], True),
    (
        "advance --entry",
        ["advance", "IN-2026-0009", "handle", "--as", "pengwei", "--entry", "{}"],
        True,
    ),
    ("doc propose ID", ["doc", "propose", "{}", "-m", "拟办", "--dept", "SWY"], True),
    ("doc propose --dept", ["doc", "propose", "IN-2026-0012", "-m", "拟办", "--dept", "{}"], True),
    (
        "doc propose --as",
        ["doc", "propose", "IN-2026-0012", "-m", "拟办", "--dept", "SWY", "--as", "{}"],
        True,
    ),
    (
        "doc handle --dept",
        ["doc", "handle", "IN-2026-0009", "--course", "c", "--result", "r", "--dept", "{}"],
        True,
    ),
    (
        "doc new --kind",
        ["doc", "new", "--kind", "{}", "--title", "t", "--to", "x", "--as", "pengwei"],
        True,
    ),
    (
        "doc new --title",
        ["doc", "new", "--kind", "浏后勤函", "--title", "{}", "--to", "x", "--as", "pengwei"],
        True,
    ),
    (
        "doc receive --from",
        ["doc", "receive", "--from", "{}", "--title", "t", "--category", "交办性"],
        True,
    ),
    ("archive file ID", ["archive", "file", "{}"], True),
    (
        "doc new --body",
        ["doc", "new", "--kind", "浏后勤函", "--title", "t", "--to", "x", "--body", "{}"],
        True,
    ),
    ("list --state", ["list", "--state", "{}"], False),
    ("list --person", ["list", "--person", "{}"], False),
    ("list --department", ["list", "--department", "{}"], False),
    ("list --sort", ["list", "--sort", "{}"], False),
    ("list --kind", ["list", "--kind", "{}"], False),
    ("todo --as", ["todo", "--as", "{}"], False),
    ("workflow KIND", ["workflow", "{}"], False),
    ("validate PATH", ["validate", "{}"], False),
    ("--root", ["@root", "{}", "list"], False),
]


#: slots that name a file or folder: a component longer than 255 bytes is a known bug (below)
PATH_SLOTS = {"doc new --body"}


@pytest.mark.parametrize(("name", "template", "writes"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_arguments(demo_office: Path, name: str, template: list[str], writes: bool) -> None:
    base = git(demo_office, "rev-parse", "HEAD").strip()

    @ARGS
    @given(value=ARG)
    def run(value: str) -> None:
        if name in PATH_SLOTS:  # a name past NAME_MAX is pinned by test_long_path_is_coded
            assume(all(len(os.fsencode(part)) <= 255 for part in value.split("/")))
        args = [value if a == "{}" else a for a in template]
        if args[0] == "@root":  # the fuzzed value is the records repository itself
            res = CliRunner().invoke(app, ["--root", *args[1:]])
            assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        else:
            res = invoke(demo_office, args)
        out = res.output
        assert res.exit_code in (0, 1, 2), out
        assert "Traceback" not in out and "OA099" not in out, out
        COUNTS[f"argument {name}"] += 1
        if res.exit_code:
            codes = CODED.findall(res.stderr)
            assert codes or USAGE.search(out), f"oa {args!r}: exit {res.exit_code} uncoded:\n{out}"
            CODES_SEEN.update(codes[-1:] or ["click usage error"])
        if writes:
            head = git(demo_office, "rev-parse", "HEAD").strip()
            status = git(demo_office, "status", "--porcelain")
            if res.exit_code:
                assert head == base and not status, f"refused {args!r} changed something"
            if head != base or status:
                git(demo_office, "reset", "-q", "--hard", base)
                git(demo_office, "clean", "-fdq", "--", "outgoing", "incoming")

    run()


@pytest.mark.parametrize(
    "args", [["show", "-x"], ["list", "--state"], ["advance", "OUT-2026-0020"]]
)
def test_usage_errors_are_coded(demo_office: Path, args: list[str]) -> None:
    res = invoke(demo_office, args)
    assert res.exit_code == 2, res.output
    assert CODED.search(res.stderr), res.output


LONG = "名" * 100  # 300 bytes: past NAME_MAX (255) on every common file system


@pytest.mark.parametrize(
    "args",
    [
        ["doc", "new", "--kind", "浏后勤函", "--title", "t", "--to", "x", "--body", LONG],
        ["doc", "slip", "IN-2026-0012", "--out", LONG],
        ["doc", "slip", "IN-2026-0012", "--out", "oa.yaml"],
    ],
    ids=["body", "out", "out-is-a-file"],
)
def test_long_path_is_coded(
    demo_office: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo_office)  # --out is relative: anything written stays in the office
    res = CliRunner().invoke(app, ["--root", str(demo_office), *args])
    assert res.exit_code == 2, res.output
    assert "OA099" not in res.output and CODED.search(res.stderr), res.output


def test_long_root_is_coded() -> None:
    res = CliRunner().invoke(app, ["--root", LONG, "list"])
    assert res.exit_code == 2 and "OA001" in res.stderr, res.output
