"""Property tests (hypothesis) for numbering, the workflow engine and the YAML loader.

- S-DOC-OUT-2: a 发文字号 is 代字〔year〕seq号 — hexagonal brackets, no leading zeros, no 第 — and
  sequences run per 代字 per year with no gap (OA403) and no duplicate (OA402).
- S-DOC-OUT-1 / S-GEN-1: the outgoing flow is data (`workflows/outgoing.yaml`); `refusal` applied
  step by step is a state machine, and `replay_issues` agrees with it on any history.
- The engine end to end (`create`/`advance` on a store without git): every step leaves a valid
  repository, numbers 1..N per 代字 and year, and a refused step changes no byte.
- The loader: nothing but `YamlProblem` escapes on any input; what the writer dumps, it reads back.

"""

from __future__ import annotations

import copy
import functools
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from oa.core import yamlio
from oa.core.config import Office
from oa.core.engine import advance, create, parse_value
from oa.core.errors import OAError
from oa.core.identity import Actor
from oa.core.registry import kinds
from oa.core.store import Loaded, Store
from oa.core.validate import replay_issues, validate
from oa.core.workflow import CREATE, Guard, GuardContext, Workflow, refusal, steps_of
from oa.kinds.outgoing import check_numbers, format_number, parse_number, used_numbers
from tests.conftest import DEMO, NO_RECORDS

#: pure functions: many examples are cheap
PURE = settings(deadline=None, max_examples=200)
#: random walks through the workflow (pure, but each walk takes up to 40 steps)
WALKS = settings(deadline=None, max_examples=60)
#: anything touching disk (or the engine): few examples, so the file runs in seconds
DISK = settings(
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DOC_KINDS = ["浏后勤发", "浏后勤字", "浏后勤函", "浏后勤会纪"]
CJK = "浏阳市机关后勤服务中心发字函会纪关于通知请示报告同意办公室主任科长年月日号第一二三"


# -- the demo office, read-only -------------------------------------------------------------------


@functools.cache
def demo() -> tuple[Office, Workflow, dict[str, Guard]]:
    store = Store(DEMO)
    return store.office, store.workflow("outgoing"), kinds()["outgoing"].guards


def people() -> list[str]:
    return sorted(demo()[0].people)


def drafters() -> list[str]:
    office = demo()[0]
    return [p for p in people() if office.has_role(p, "拟稿人")]


def leaders() -> list[str]:
    office = demo()[0]
    return [p for p in people() if office.has_role(p, "主管领导")]


PERSON = st.deferred(lambda: st.sampled_from(people()))
DRAFTER = st.deferred(lambda: st.sampled_from(drafters()))
COUNTERSIGNERS = st.deferred(lambda: st.lists(st.sampled_from(leaders()), unique=True, max_size=2))


# == 1. Numbering (S-DOC-OUT-2) ===================================================================

#: any 代字 text without the hexagonal brackets (and without a line break: `.` in NUMBER_RE)
CODE = st.one_of(
    st.sampled_from(DOC_KINDS),
    st.text(
        st.characters(exclude_characters="〔〕\n", codec="utf-8"),
        min_size=1,
        max_size=12,
    ),
)
#: four-digit years: the 〔year〕 of a number (and of a record ID) is always four digits
YEAR = st.integers(1000, 9999)
SEQ = st.integers(1, 10**7)


@PURE
@given(code=CODE, year=YEAR, seq=SEQ)
def test_number_format_parse_round_trip(code: str, year: int, seq: int) -> None:
    """S-DOC-OUT-2: parse_number(format_number(c, y, n)) == (c, y, n); the text uses 〔〕, ends in
    号, and its sequence has no leading zero and no 第."""
    text = format_number(code, year, seq)
    assert parse_number(text) == (code, year, seq)
    assert text == f"{code}〔{year}〕{seq}号"
    tail = text[len(code) :]
    assert re.fullmatch(r"〔[0-9]{4}〕[1-9][0-9]*号", tail)


@PURE
@given(code=CODE, year=YEAR, seq=SEQ, zeros=st.integers(1, 3))
def test_number_parse_rejects_malformed(code: str, year: int, seq: int, zeros: int) -> None:
    """S-DOC-OUT-2: leading zeros, 第, ASCII (or other) brackets, sequence 0, a missing 号 and a
    short year are all refused."""
    bad = [
        f"{code}〔{year}〕{'0' * zeros}{seq}号",  # leading zeros
        f"{code}〔{year}〕{'0' * zeros}号",  # sequence 0
        f"{code}〔{year}〕第{seq}号",  # 第
        f"{code}[{year}]{seq}号",  # ASCII brackets
        f"{code}({year}){seq}号",
        f"{code}（{year}）{seq}号",  # full-width parentheses
        f"{code}【{year}】{seq}号",  # lenticular brackets
        f"{code}〔{year}〕{seq}",  # no 号
        f"{code}〔{year % 100}〕{seq}号",  # two-digit year
        f"〔{year}〕{seq}号",  # no 代字
    ]
    for text in bad:
        assert parse_number(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("浏后勤发〔2026〕1号\n", id="trailing-newline"),
        pytest.param("浏后勤发〔٢٠٢٦〕1号", id="arabic-indic-year"),
        pytest.param("浏后勤发〔２０２６〕1号", id="fullwidth-year"),
        pytest.param("浏后勤发〔0999〕1号", id="leading-zero-year"),
    ],
)
def test_number_parse_rejects_noncanonical(text: str) -> None:
    """S-DOC-OUT-2: only the canonical text is a number (so the Outgoing model refuses the rest)."""
    assert parse_number(text) is None


@PURE
@given(
    code=CODE,
    year=st.text(st.sampled_from("0123456789٢٠２６"), min_size=4, max_size=4),
    seq=st.integers(1, 999).map(str),
    tail=st.sampled_from(["", "\n"]),
)
@example(code="浏后勤发", year="2026", seq="1", tail="\n")
def test_number_parse_only_canonical(code: str, year: str, seq: str, tail: str) -> None:
    """S-DOC-OUT-2: whatever parse_number accepts, format_number writes back byte for byte."""
    text = f"{code}〔{year}〕{seq}号{tail}"
    parsed = parse_number(text)
    assert parsed is None or format_number(*parsed) == text


# check_numbers over a copy of the demo records, with one more year of numbers written per example

NUMBER_YEAR = 2027
NUMBER_LINE = 7
_RECORD = """\
id: {rid}
kind: outgoing
title: 编号性质测试
doc_kind: {code}
department: BGS
drafter: liuyan
doc_number: {number}
state: proof
history:
  - at: 2027-01-05T09:00:00+08:00
    by: liuyan
    action: create
    to: draft
"""


@pytest.fixture(scope="module")
def numbering_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[Loaded]]:
    root = tmp_path_factory.mktemp("numbering") / "records"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".oa", ".git"))
    store = Store(root)
    demo_outgoing = [
        store.load_path(store.root / rel)
        for rel in store.record_names()
        if rel.startswith("outgoing/")
    ]
    assert demo_outgoing and not list(check_numbers(store, demo_outgoing))
    return store, demo_outgoing


def _gap_starts(seqs: set[int]) -> set[int]:
    """The numbers right after a gap in 1, 2, 3 …"""
    out: set[int] = set()
    expected = 1
    for s in sorted(seqs):
        if s != expected:
            out.add(s)
        expected = s + 1
    return out


@DISK
@given(
    entries=st.lists(
        st.tuples(st.sampled_from(DOC_KINDS[:2]), st.integers(1, 9)), min_size=1, max_size=10
    )
)
def test_check_numbers_reports_exactly_gaps_and_duplicates(
    numbering_store: tuple[Store, list[Loaded]], entries: list[tuple[str, int]]
) -> None:
    """S-DOC-OUT-2: for any multiset of sequence numbers, check_numbers reports OA402 once per
    extra holder of a number and OA403 exactly where a run 1, 2, 3 … breaks — on the right file and
    line — and used_numbers (the raw-text fast path) sees the same numbers."""
    store, demo_outgoing = numbering_store
    folder = store.root / "outgoing" / str(NUMBER_YEAR)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    where: dict[str, tuple[str, int]] = {}
    mine: list[Loaded] = []
    for i, (code, seq) in enumerate(entries, start=1):
        rid = f"OUT-{NUMBER_YEAR}-{i:04d}"
        path = folder / f"{rid}.yaml"
        number = format_number(code, NUMBER_YEAR, seq)
        path.write_text(_RECORD.format(rid=rid, code=code, number=number), encoding="utf-8")
        loaded = store.load_path(path)
        assert loaded.findings == [] and loaded.record is not None
        where[loaded.path] = (code, seq)
        mine.append(loaded)

    findings = list(check_numbers(store, [*demo_outgoing, *mine]))

    assert {f.code for f in findings} <= {"OA402", "OA403"}
    assert all(f.path in where and f.line == NUMBER_LINE for f in findings)
    counts = Counter(entries)
    duplicates = Counter({key: n - 1 for key, n in counts.items() if n > 1})
    assert Counter(where[f.path] for f in findings if f.code == "OA402") == duplicates
    owner = {key: min(p for p, k in where.items() if k == key) for key in counts}
    gaps = {
        (code, s)
        for code in {c for c, _ in entries}
        for s in _gap_starts({s for c, s in entries if c == code})
    }
    reported = [f.path for f in findings if f.code == "OA403"]
    assert len(reported) == len(set(reported))
    assert {where[p] for p in reported} == gaps
    assert all(p == owner[where[p]] for p in reported)
    for code in DOC_KINDS:
        assert sorted(used_numbers(store, code, NUMBER_YEAR)) == sorted(
            s for c, s in entries if c == code
        )


# == 2. The workflow as a state machine (S-DOC-OUT-1, S-GEN-1) ==================================

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
BOGUS_ACTION = "不存在的动作"


def expected_refusal(record: dict[str, Any], action: str, state: str, person: str) -> str | None:
    """What the workflow data says of one step: OA602 when the action does not leave `state`,
    OA603 when the person lacks the role (or the department the action names), else None."""
    office, wf, _ = demo()
    spec = wf.actions.get(action)
    if spec is None or state not in spec.from_:
        return "OA602"
    roles = spec.roles if spec.roles is not None else wf.states[state].roles
    if roles and not set(roles) & set(office.people[person].roles):
        return "OA603"
    if spec.department_field and office.people[person].department != record[spec.department_field]:
        return "OA603"
    return None


def guard_refusal(record: dict[str, Any], action: str, person: str) -> str | None:
    office, wf, guards = demo()
    ctx = GuardContext(office, wf, record, steps_of(record["history"]), action, person, {})
    for name in wf.actions[action].guards:
        reason = guards[name](ctx)
        if reason:
            return reason
    return None


def allowed_pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    office, wf, _ = demo()
    state = record["state"]
    return [
        (a, p)
        for a in wf.actions_from(state)
        for p in people()
        if refusal(wf, office, record, a, state, p) is None and not guard_refusal(record, a, p)
    ]


@functools.cache
def depth() -> dict[str, int]:
    """How many steps each state is from the start, by the shortest path."""
    wf = demo()[1]
    out = {wf.start: 0}
    todo = [wf.start]
    while todo:
        state = todo.pop(0)
        for name in wf.actions_from(state):
            to = wf.actions[name].to
            if to not in out:
                out[to] = out[state] + 1
                todo.append(to)
    return out


def draw_allowed(data: st.DataObject, options: list[tuple[str, str]]) -> tuple[str, str]:
    """One of the allowed (action, person) pairs: the action first — one that does not lead back
    four times as likely as one that does, so that walks reach the end — then who takes it."""
    wf = demo()[1]
    actions = sorted({a for a, _ in options})

    def weight(name: str) -> int:
        spec = wf.actions[name]
        back = spec.sends_back or any(depth()[spec.to] < depth()[s] for s in spec.from_)
        return 1 if back else 4

    weighted = [a for a in actions for _ in range(weight(a))]
    action = data.draw(st.sampled_from(weighted), label="allowed action")
    person = data.draw(st.sampled_from([p for a, p in options if a == action]), label="by")
    return action, person


def base_record(drafter: str, countersigners: list[str]) -> dict[str, Any]:
    office, wf, _ = demo()
    return {
        "id": "OUT-2026-0001",
        "kind": "outgoing",
        "title": "关于性质测试的函",
        "doc_kind": "浏后勤函",
        "department": office.people[drafter].department,
        "drafter": drafter,
        "countersigners": countersigners,
        # what `print` and `archive` require, so that no step fails for want of a field
        "copies": 10,
        "retention": "D30",
        "state": wf.start,
        "history": [{"at": T0, "by": drafter, "action": CREATE, "to": wf.start}],
    }


def draw_walk(data: st.DataObject, *, check_each: bool = False, min_len: int = 1) -> dict[str, Any]:
    """A random walk of (action, person) pairs through the outgoing flow, drawn mostly from the
    allowed ones so that walks reach the end; refused pairs are dropped, as the engine drops them.
    Checks on the way that `refusal` says what the workflow data says, and (check_each) that every
    prefix of the history replays cleanly into the state the last action leads to."""
    office, wf, guards = demo()
    record = base_record(data.draw(DRAFTER, label="drafter"), data.draw(COUNTERSIGNERS))
    at = T0
    for _ in range(data.draw(st.integers(min_len - 1, 40), label="steps")):
        state = record["state"]
        options = allowed_pairs(record)
        forced = len(record["history"]) < min_len
        if options and (forced or data.draw(st.integers(0, 4), label="pick") > 0):
            action, person = draw_allowed(data, options)
        else:
            action = data.draw(st.sampled_from([*sorted(wf.actions), BOGUS_ACTION]))
            person = data.draw(PERSON)
        why = refusal(wf, office, record, action, state, person)
        assert (why[0] if why else None) == expected_refusal(record, action, state, person)
        if why is not None or guard_refusal(record, action, person):
            continue
        spec = wf.actions[action]
        at += timedelta(minutes=data.draw(st.integers(0, 600), label="minutes"))
        entry: dict[str, Any] = {"at": at, "by": person, "action": action, "from": state}
        entry["to"] = spec.to
        if spec.opinion == "required" or data.draw(st.booleans(), label="opinion"):
            entry["opinion"] = "同意。"
        record["history"].append(entry)
        record["state"] = spec.to
        if check_each:
            # the replayed history must end where the action leads, or replay reports OA404
            assert replay_issues(office, wf, record, guards) == []
    if wf.states[record["state"]].final:
        assert not wf.actions_from(record["state"])
    return record


def issue_indices(issues: list[tuple[list[str | int], str, str]]) -> set[Any]:
    return {
        loc[1] if loc[:1] == ["history"] and len(loc) > 1 else tuple(loc) for loc, _, _ in issues
    }


@WALKS
@given(data=st.data())
def test_walk_of_allowed_steps_replays_cleanly(data: st.DataObject) -> None:
    """S-DOC-OUT-1, S-GEN-1: `refusal` is OA602 exactly when the action does not leave the state
    and OA603 exactly when the role or department is wrong; an allowed step lands in the action's
    `to` state, and a history made only of allowed steps replays with no issue at all."""
    office, wf, guards = demo()
    record = draw_walk(data, check_each=True)
    assert replay_issues(office, wf, record, guards) == []


@WALKS
@given(data=st.data())
def test_one_step_in_the_wrong_state_is_reported_at_its_index(data: st.DataObject) -> None:
    """S-DOC-OUT-1: insert one step whose action does not leave the state it is taken in (it
    claims to stay there): replay reports OA406 at exactly that index and nowhere else."""
    office, wf, guards = demo()
    record = draw_walk(data)
    assert replay_issues(office, wf, record, guards) == []
    history = record["history"]
    k = data.draw(st.integers(1, len(history)), label="insert at")
    state = history[k - 1]["to"]
    wrong = [a for a in sorted(wf.actions) if a not in wf.actions_from(state)]
    action = data.draw(st.sampled_from([*wrong, BOGUS_ACTION]), label="wrong action")
    person = data.draw(PERSON, label="by")
    bad = copy.deepcopy(record)
    step = {"at": history[k - 1]["at"], "by": person, "action": action, "from": state, "to": state}
    bad["history"].insert(k, step)
    issues = replay_issues(office, wf, bad, guards)
    assert issue_indices(issues) == {k}, issues
    assert {code for _, code, _ in issues} == {"OA406"}


def test_a_countersign_in_the_wrong_state_is_not_a_countersign_given() -> None:
    """S-DOC-OUT-1: a 会签 entered in the wrong state (OA406) took no effect, so the leader's
    real 会签 later is not refused as a second one (hypothesis found this: the guard of the later
    step saw the void one)."""
    office, wf, guards = demo()
    record = Store(DEMO).get("OUT-2026-0001").data
    assert record is not None and replay_issues(office, wf, record, guards) == []
    history = record["history"]
    signed = next(h for h in history if h["action"] == "countersign")
    state = history[0]["to"]
    bad = copy.deepcopy(record)
    void = {**signed, "at": history[0]["at"], "from": state, "to": state}
    bad["history"].insert(1, void)
    issues = replay_issues(office, wf, bad, guards)
    assert issue_indices(issues) == {1}, issues
    assert {code for _, code, _ in issues} == {"OA406"}


@WALKS
@given(data=st.data())
def test_one_step_by_the_wrong_person_is_reported_at_its_index(data: st.DataObject) -> None:
    """S-DOC-OUT-1: one step taken by someone without the role (or outside the department the
    action names) — either an inserted 会签 by a non-leader, or an allowed step re-attributed — is
    reported as OA405 at exactly that index and nowhere else."""
    office, wf, guards = demo()
    record = draw_walk(data, min_len=2)
    history = record["history"]
    candidates: list[tuple[str, int, str]] = []
    for i, h in enumerate(history):
        if i > 0 and h["action"] != "countersign":  # a 会签's author feeds later guards
            candidates.extend(
                ("replace", i, p)
                for p in people()
                if expected_refusal(record, h["action"], h["from"], p) == "OA603"
            )
        if h["to"] == "leader_sign":
            candidates.extend(
                ("insert", i + 1, p)
                for p in people()
                if expected_refusal(record, "countersign", "leader_sign", p) == "OA603"
            )
    how, k, person = data.draw(st.sampled_from(candidates), label="wrong step")
    bad = copy.deepcopy(record)
    if how == "replace":
        bad["history"][k]["by"] = person
    else:
        at = history[k - 1]["at"]
        step = {"at": at, "by": person, "action": "countersign"}
        bad["history"].insert(k, step | {"from": "leader_sign", "to": "leader_sign"})
    issues = replay_issues(office, wf, bad, guards)
    assert issue_indices(issues) == {k}, issues
    # an inserted 会签 by someone not asked is also refused by its guard (OA410), at the same index
    expected = {"OA405"} if how == "replace" else {"OA405", "OA410"}
    assert {code for _, code, _ in issues} == expected, issues


# == 3. The engine end to end (S-DOC-OUT-1, S-DOC-OUT-2) ========================================


def new_office() -> tuple[Path, Store]:
    """A copy of the demo office's configuration and workflows, with no records and no git."""
    tmp = Path(tempfile.mkdtemp(prefix="oa-props-"))
    root = tmp / "office"
    shutil.copytree(DEMO, root, ignore=NO_RECORDS)
    return tmp, Store(root)


def needed_sets(action: str) -> dict[str, Any]:
    """Values for the record fields an action requires."""
    values = {"copies": 20, "retention": "D30"}
    return {f: values[f] for f in demo()[1].actions[action].fields}


class EngineMachine(RuleBasedStateMachine):
    """Up to three documents, advanced by random (action, person) pairs — mostly allowed ones —
    through `oa.core.engine.advance`, with the clock (OA_NOW) moving forward across a new year.
    Every operation gets a fresh Store, as every `oa` command does (its `.oa/` index is brought up
    to date once per Store)."""

    docs = Bundle("docs")

    def __init__(self) -> None:
        super().__init__()
        self.tmp, store = new_office()
        self.root = store.root
        self.clock = datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)
        self.states: dict[str, str] = {}
        self.numbers: dict[tuple[str, int], list[int]] = defaultdict(list)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def store(self) -> Store:
        return Store(self.root)

    def tick(self, hours: int) -> None:
        self.clock += timedelta(hours=hours)
        self.set_now(self.clock.isoformat())

    def set_now(self, value: str) -> None:
        """Pin the engine's clock (the test runs this through monkeypatch)."""
        os.environ["OA_NOW"] = value

    @precondition(lambda self: len(self.states) < 3)
    @rule(
        target=docs,
        drafter=DRAFTER,
        doc_kind=st.sampled_from(DOC_KINDS),
        countersigners=COUNTERSIGNERS,
        hours=st.integers(0, 72),
    )
    def create_doc(self, drafter: str, doc_kind: str, countersigners: list[str], hours: int) -> str:
        self.tick(hours)
        fields = {
            "title": "关于性质测试的函",
            "doc_kind": doc_kind,
            "department": demo()[0].people[drafter].department,
            "drafter": drafter,
            "main_to": ["浏阳市教育局"],
            "countersigners": countersigners,
        }
        change = create(self.store, kinds()["outgoing"], fields, Actor(drafter))
        assert change.state == "draft" and change.commit is None
        same_year = [r for r in self.states if r.split("-")[1] == str(self.clock.year)]
        assert change.rid == f"OUT-{self.clock.year}-{len(same_year) + 1:04d}"
        self.states[change.rid] = change.state
        return change.rid

    def reasons(
        self,
        record: dict[str, Any],
        action: str,
        person: str,
        opinion: str | None,
        sets: dict[str, Any],
    ) -> set[str]:
        """Every code the engine may refuse this step with; empty when it must go through."""
        office, wf, _ = demo()
        why = refusal(wf, office, record, action, record["state"], person)
        if why:
            return {why[0]}
        spec = wf.actions[action]
        out: set[str] = set()
        if spec.opinion == "required" and not (opinion and opinion.strip()):
            out.add("OA606")
        if set(sets) - {*spec.fields, *spec.accepts}:
            out.add("OA005")
        if guard_refusal({**record, **sets}, action, person):
            out.add("OA607")
        if any({**record, **sets}.get(f) in (None, "", []) for f in spec.fields):
            out.add("OA606")
        return out

    @rule(rid=docs, data=st.data(), hours=st.integers(0, 48))
    def step(self, rid: str, data: st.DataObject, hours: int) -> None:
        self.tick(hours)
        office, wf, _ = demo()
        reader = self.store  # for reading before and after; `advance` gets a Store of its own
        record = reader.get_valid(rid).data
        assert record is not None
        options = allowed_pairs(record)
        mode = data.draw(st.sampled_from(["allowed"] * 3 + ["sloppy", "random"]), label="mode")
        opinion: str | None
        here = wf.actions_from(record["state"])
        if options and mode == "allowed":
            action, person = draw_allowed(data, options)
        elif here and mode == "sloppy":  # the right kind of step, perhaps by the wrong holder
            action = data.draw(st.sampled_from(here), label="action")
            roles = set(wf.roles_for(action, record["state"]))
            holders = [p for p in people() if not roles or roles & set(office.people[p].roles)]
            person = data.draw(st.sampled_from(holders), label="by")
        else:
            action = data.draw(st.sampled_from([*sorted(wf.actions), BOGUS_ACTION]))
            person = data.draw(PERSON)
        if options and mode == "allowed":
            required = wf.actions[action].opinion == "required"
            opinion = "同意。" if required else data.draw(st.sampled_from([None, "同意。"]))
            sets = needed_sets(action)
        else:  # whatever a hurried user types: perhaps no opinion, perhaps the wrong --set
            opinion = data.draw(st.sampled_from([None, "", " ", "同意。"]), label="opinion")
            sets = data.draw(
                st.sampled_from([{}, {"copies": 5}, {"retention": "Y"}, {"pages": 3}]),
                label="sets",
            )
        reasons = self.reasons(record, action, person, opinion, sets)
        path = reader.path_for(rid)
        before = path.read_bytes()
        try:
            change = advance(self.store, rid, action, Actor(person), opinion=opinion, sets=sets)
        except OAError as exc:
            assert path.read_bytes() == before, f"refused {action} changed the file"
            assert exc.code in reasons, f"{exc.code} {exc.message} (expected {reasons or 'ok'})"
            event(f"refused {exc.code}")
            return
        assert not reasons, f"{action} by {person} went through despite {reasons}"
        spec = wf.actions[action]
        after = reader.get_valid(rid).data
        assert after is not None
        assert change.state == spec.to == after["state"]
        assert len(after["history"]) == len(record["history"]) + 1
        last = after["history"][-1]
        assert (last["by"], last["action"], last["from"], last["to"]) == (
            person,
            action,
            record["state"],
            spec.to,
        )
        assert last["at"] == self.clock
        self.states[rid] = spec.to
        event(f"reached {spec.to}")
        if "assign_number" in spec.effects:
            parsed = parse_number(after["doc_number"])
            assert parsed is not None and last["number"] == after["doc_number"]
            code, year, seq = parsed
            assert (code, year) == (record["doc_kind"], self.clock.year)
            series = self.numbers[(code, year)]
            assert seq == len(series) + 1
            series.append(seq)

    @invariant()
    def repository_is_valid(self) -> None:
        store = self.store
        report = validate(store)
        assert report.findings == [], [f.format() for f in report.findings]
        assert report.checked == len(self.states)
        found: dict[tuple[str, int], list[int]] = defaultdict(list)
        for rid, state in self.states.items():
            data = store.get_valid(rid).data
            assert data is not None and data["state"] == state
            parsed = parse_number(str(data.get("doc_number") or ""))
            if parsed:
                found[(parsed[0], parsed[1])].append(parsed[2])
        assert {k: sorted(v) for k, v in found.items()} == {
            k: list(range(1, len(v) + 1)) for k, v in found.items()
        }
        assert {k: sorted(v) for k, v in found.items()} == {
            k: v for k, v in self.numbers.items() if v
        }


def test_engine_state_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """S-DOC-OUT-1, S-DOC-OUT-2: random `advance` sequences on a few documents: after every step
    each file loads and `validate` finds nothing, numbers run 1..N per 代字 and year, a step goes
    through exactly when the workflow, roles, opinion, fields and guards allow it, and a refused
    step leaves the file's bytes unchanged."""

    class Run(EngineMachine):
        def set_now(self, value: str) -> None:
            monkeypatch.setenv("OA_NOW", value)

    run_state_machine_as_test(
        Run,
        settings=settings(
            DISK,
            max_examples=8,
            stateful_step_count=30,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def _to_numbering(store: Store, rid: str) -> None:
    for action, person in [
        ("submit", "pengwei"),
        ("review", "wangfang"),
        ("sign", "tangzhiqiang"),
        ("issue", "chenguohua"),
        ("number", "wangfang"),
    ]:
        advance(store, rid, action, Actor(person))


@settings(DISK, max_examples=10)
@given(
    moment=st.datetimes(
        min_value=datetime(2026, 12, 31, 12, 0),
        max_value=datetime(2027, 1, 1, 12, 0),
        timezones=st.just(UTC),
    ),
    offset_hours=st.integers(-12, 14),
)
@example(moment=datetime(2026, 12, 31, 17, 0, tzinfo=UTC), offset_hours=0)
def test_number_year_is_the_office_local_year(moment: datetime, offset_hours: int) -> None:
    """S-DOC-OUT-2: sequences run per year in the office's calendar (Asia/Shanghai), however
    OA_NOW writes the moment; the record ID's year and history times are office-local too."""
    tmp, store = new_office()
    saved = os.environ.get("OA_NOW")
    try:
        os.environ["OA_NOW"] = moment.astimezone(
            timezone(timedelta(hours=offset_hours))
        ).isoformat()
        fields = {"title": "跨年测试", "doc_kind": "浏后勤发", "department": "SWY"}
        change = create(
            store, kinds()["outgoing"], {**fields, "drafter": "pengwei"}, Actor("pengwei")
        )
        _to_numbering(store, change.rid)
        data = store.get_valid(change.rid).data
        assert data is not None
        local = moment.astimezone(SHANGHAI)
        got = (
            change.rid.split("-")[1],
            parse_number(data["doc_number"]),
            {h["at"].utcoffset() for h in data["history"]},
        )
        assert got == (str(local.year), ("浏后勤发", local.year, 1), {local.utcoffset()})
    finally:
        if saved is None:
            os.environ.pop("OA_NOW", None)
        else:
            os.environ["OA_NOW"] = saved
        shutil.rmtree(tmp, ignore_errors=True)


# == 4. Parsers ===================================================================================

#: YAML-ish fragments, to reach deeper into the parser than random text does
_TOKENS = [
    *["a", ": ", "\n", "  ", "- ", "[", "]", "{", "}", ", ", "? ", "'", '"', "\\", "|", ">", "#"],
    *["&x ", "*x", "!x ", "!!str ", "!!int ", "!!float ", "!!null ", "!!binary ", "!!set "],
    *["!!omap ", "!!pairs ", "!!seq ", "!!map ", "!<tag:yaml.org,2002:int> ", "<<", "~", "\t"],
    *["%YAML 1.2\n", "%TAG ! tag:x,2002:\n", "---\n", "...\n", "2026-01-01", "T10:00:00"],
    *["+08:00", "0x", "0o", "1_0", ".inf", "1e9", "\r", "\ufeff", "\x85", "\u2028", "\x00"],
    "浏后勤",
]
YAMLISH = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=3)), max_size=25).map(
    "".join
)


def load_or_problem(load: Callable[[], Any]) -> None:
    try:
        load()
    except yamlio.YamlProblem as exc:
        assert exc.finding.code.startswith("OA1") and exc.finding.line >= 1


@PURE
@given(text=st.one_of(st.text(max_size=200), YAMLISH))
def test_loader_raises_only_yaml_problem_on_text(text: str) -> None:
    """Loading any text either succeeds or raises YamlProblem with an OA1xx finding."""
    load_or_problem(lambda: yamlio.load_text(text, "x.yaml"))
    load_or_problem(lambda: yamlio.load_mapping(text.encode("utf-8"), "x.yaml"))


@PURE
@given(data=st.binary(max_size=200))
def test_loader_raises_only_yaml_problem_on_bytes(data: bytes) -> None:
    """Loading any bytes (invalid UTF-8 included) either succeeds or raises YamlProblem."""
    load_or_problem(lambda: yamlio.load_bytes(data, "x.yaml"))
    load_or_problem(lambda: yamlio.load_mapping(data, "x.yaml"))


@pytest.mark.parametrize(
    "text",
    ["!!bool x", "!!bool ''", "a: !!bool maybe", "!!timestamp x", "a: !!timestamp 2026"],
)
def test_loader_raises_only_yaml_problem_on_explicit_tags(text: str) -> None:
    """A hand-edited record with a bad explicit tag is a finding (OA101), not a traceback."""
    load_or_problem(lambda: yamlio.load_text(text, "x.yaml"))


@PURE
@given(text=st.one_of(st.text(max_size=40), YAMLISH))
@example(text="!!bool x")
def test_parse_value_never_raises(text: str) -> None:
    """`--set KEY=VALUE` reads any value: a YAML scalar or flow list, else the text itself."""
    parse_value(text)


@PURE
@given(
    n=st.integers(-(10**30), 10**30),
    words=st.lists(st.text(st.sampled_from(CJK), min_size=1, max_size=6), max_size=4),
)
def test_parse_value_reads_ints_and_flow_lists(n: int, words: list[str]) -> None:
    """`--set copies=120` is the int 120; `[甲, 乙]` a list; a plain Chinese word stays text."""
    assert parse_value(str(n)) == n
    assert parse_value("[" + ", ".join(words) + "]") == words
    for w in words:
        assert parse_value(w) == w


#: text a person may type into a record, minus lone surrogates (not encodable) and NEL (see below)
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x85"), max_size=20)
KEY = st.text(st.sampled_from(CJK + "abcdefghij_"), min_size=1, max_size=6)
VALUE = st.recursive(
    st.one_of(
        TEXT, st.text(st.sampled_from(CJK + "0123456789.-_:〔〕 "), max_size=12), st.integers()
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=3)),
    max_leaves=12,
)
RECORDISH = st.dictionaries(KEY, VALUE, max_size=6)


@settings(PURE, max_examples=100)
@given(data=RECORDISH)
def test_dump_then_load_round_trips(data: dict[str, Any]) -> None:
    """What the writer (ruamel round-trip dump) writes, the bulk loader reads back unchanged —
    Chinese text, digits that look like numbers or dates, ints, nested lists and mappings."""
    assert yamlio.load_text(yamlio.dump_roundtrip(data), "x.yaml") == data


@PURE
@given(before=TEXT, after=TEXT)
@example(before="同意", after="")
def test_dump_then_load_round_trips_nel(before: str, after: str) -> None:
    """An opinion pasted with a NEL (cp1252 '…' read as Latin-1) is kept as typed."""
    data = {"opinion": f"{before}\x85{after}"}
    assert yamlio.load_text(yamlio.dump_roundtrip(data), "x.yaml") == data


def editor_lines(text: str) -> int:
    return len(re.split(r"\r\n|\r|\n", text))


LOC = st.lists(st.one_of(KEY, st.text(max_size=4), st.integers(-3, 5)), max_size=4)


@PURE
@given(text=st.one_of(st.text(max_size=200), YAMLISH), loc=LOC)
def test_line_of_is_within_the_text(text: str, loc: list[str | int]) -> None:
    """A finding's line is always a line of the file, whatever the file holds."""
    assert 1 <= yamlio.line_of(text, loc) <= editor_lines(text)


@settings(PURE, max_examples=50)
@given(data=RECORDISH)
def test_line_of_finds_keys_and_items(data: dict[str, Any]) -> None:
    """line_of points at the line where a key (or a list item) is written."""
    text = yamlio.dump_roundtrip(data)
    lines = text.split("\n")
    for key, value in data.items():
        line = yamlio.line_of(text, [key])
        assert 1 <= line <= editor_lines(text)
        assert lines[line - 1].startswith(f"{key}:")
        if isinstance(value, list):
            for i in range(len(value)):
                assert lines[yamlio.line_of(text, [key, i]) - 1].lstrip().startswith("-")
    assert yamlio.line_of(text, ["不存在的键"]) == 1


def test_demo_files_load_and_locate() -> None:
    """Every YAML file of the demo office loads, and line_of stays within each."""
    for path in sorted(DEMO.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yamlio.load_text(text, path.name) is not None
        assert 1 <= yamlio.line_of(text, ["history", 0]) <= editor_lines(text)


class _NoLines:
    """A stand-in store for the collection check: findings are placed on line 1."""

    def line(self, rel: str, loc: list[str | int]) -> int:
        return 1


_TRIP = st.fixed_dictionaries(
    {
        "start": st.integers(0, 40),
        "hours": st.integers(-1, 6),
        "vehicle": st.sampled_from([None, "湘A·1", "湘A·2"]),
        "driver": st.sampled_from([None, "d1", "d2"]),
        "state": st.sampled_from(["approved", "dispatched", "returned", "cancelled"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TRIP, max_size=12))
def test_double_dispatch_sweep_finds_what_every_pair_would(trips: list[dict[str, Any]]) -> None:
    """S-OPS-CAR-1: sweeping the uses by start time finds the same clashes (OA487) as comparing
    every use with every other one."""
    from oa.core.store import Loaded
    from oa.kinds.trip import _clash_text, check_double_dispatch, clashes

    base = datetime(2026, 3, 2, 8, tzinfo=timezone(timedelta(hours=8)))
    records = []
    for i, t in enumerate(trips):
        start = base + timedelta(hours=t["start"])
        data = {
            "id": f"CAR-2026-{i + 1:04d}",
            "state": t["state"],
            "start": start,
            "end": start + timedelta(hours=t["hours"]),
            "vehicle": t["vehicle"],
            "driver": t["driver"],
        }
        records.append(Loaded(f"trip/2026/{data['id']}.yaml", data=data))
    swept = {(f.path, f.message) for f in check_double_dispatch(_NoLines(), records)}
    every_pair = {
        (r.path, f"{what} is also out on {_clash_text(other)}")
        for r in records
        if r.data is not None and r.data["state"] in ("dispatched", "returned")
        for what, other in clashes(r.data, [o.data for o in records if o.data is not None])
        if str(other["id"]) < str(r.data["id"])
    }
    assert swept == every_pair
