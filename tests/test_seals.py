"""Seals and 介绍信 (S-OPS-SEAL-1…3), procurement (S-BUY-1/2) and vehicle use (S-OPS-CAR-1),
end to end through the CLI in temporary git repositories, plus the registers' golden files."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO, Office, only_records_of
from tests.test_papers import dump_docx, dump_xlsx, golden

LEADER = "tangzhiqiang"  # 汤志强, supervising leader of the 公章
CUSTODIAN = "liuyan"  # 刘艳 keeps the 公章
DEPUTY = "wangfang"  # 王芳 keeps it from 11-16 08:00 to 11-20 18:00


@pytest.fixture
def ops(tmp_path: Path) -> Office:
    """The demo office's configuration with its seal, purchase and vehicle records (no 公文), in a
    fresh git repository."""
    root = tmp_path / "office"
    shutil.copytree(DEMO, root, ignore=only_records_of("seal", "purchase", "trip"))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start\n\nOA-Import: test"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return Office(root)


def path_of(o: Office, rid: str) -> Path:
    kind = {"SEAL": "seal", "BUY": "purchase", "CAR": "trip"}[rid.split("-")[0]]
    return o.root / kind / rid.split("-")[1] / f"{rid}.yaml"


def rid_of(output: str) -> str:
    m = re.search(r"\b((?:SEAL|BUY|CAR)-\d{4}-\d{4})\b", output)
    assert m, output
    return m.group(1)


def at(when: str) -> dict[str, str]:
    return {"OA_NOW": when}


def request(o: Office, *extra: str, who: str = "pengwei", when: str | None = None) -> str:
    env = at(when) if when else None
    res = o.ok("seal", "request", "--seal", "GZ", "--as", who, *extra, env=env)
    return rid_of(res.stdout)


# -- seals ---------------------------------------------------------------------------------------


def test_written_approval_then_custodian_records_use(ops: Office) -> None:
    """S-OPS-SEAL-1 and S-OPS-SEAL-3: a leader's written approval, then the holder's entry in the
    用印登记簿; the commit names the step."""
    o = ops
    rid = request(o, "--purpose", "会议通知盖章", "--copies", "30", "--document", "BUY-2026-0002")
    res = o.oa("advance", rid, "use", "--as", CUSTODIAN)
    assert res.exit_code != 0 and "OA602" in res.output  # not approved yet
    o.ok("advance", rid, "approve", "--as", LEADER, "-m", "同意。")
    o.ok("advance", rid, "use", "--as", CUSTODIAN)
    text = path_of(o, rid).read_text(encoding="utf-8")
    assert "approval: 书面" in text and "keeper: liuyan" in text and "state: used" in text
    assert f"{rid}: use (刘艳)" in o.git("log", "-1", "--format=%B")
    book = o.ok("seal", "book", "--seal", "GZ", "--json").stdout
    assert rid in book and "汤志强（书面）" in book


def test_oral_approval_is_recorded_as_such(ops: Office) -> None:
    """S-OPS-SEAL-1: an oral instruction is recorded with who gave it, who heard it and when; the
    clerk enters it for the leader (OA-On-Behalf)."""
    o = ops
    rid = request(o, "--purpose", "合同盖章")
    res = o.oa("advance", rid, "approve_oral", "--as", LEADER)
    assert res.exit_code != 0 and "OA606" in res.output  # heard_by and heard_at are required
    o.ok(
        "advance", rid, "approve_oral", "--as", LEADER, "-m", "电话同意",
        "--entry", "heard_by=wangfang", "--entry", "heard_at=2026-11-30T08:40:00+08:00",
    )  # fmt: skip
    text = path_of(o, rid).read_text(encoding="utf-8")
    assert "approval: 口头" in text and "heard_by: wangfang" in text
    assert "entered_by: wangfang" in text
    assert "OA-On-Behalf: wangfang" in o.git("log", "-1", "--format=%B")
    o.ok("advance", rid, "use", "--as", CUSTODIAN)
    rows = o.ok("seal", "book", "--json").stdout
    assert "汤志强（口头，王芳11-30 08:40听取）" in rows


def test_only_the_holder_records_use_custody_periods(ops: Office) -> None:
    """S-OPS-SEAL-2: one custodian; during a hand-over the deputy holds the seal and only the
    holder at that moment records a use (OA660), nothing changes on refusal."""
    o = ops
    during = "2026-11-18T09:00:00+08:00"
    rid = request(o, "--purpose", "代管期间用印", when=during)
    o.ok("advance", rid, "approve", "--as", LEADER, "-m", "同意", env=at(during))
    before, head = o.snapshot(), o.head()
    res = o.oa("advance", rid, "use", "--as", CUSTODIAN, env=at(during))
    assert res.exit_code != 0 and "OA660" in res.output and "王芳" in res.output
    assert res.stderr.startswith(f"seal/2026/{rid}.yaml: OA660")  # the refused record named
    assert o.snapshot() == before and o.head() == head
    res = o.oa("advance", rid, "use", "--as", "pengwei", env=at(during))
    assert res.exit_code != 0 and "OA607" in res.output  # neither custodian nor deputy
    assert "use" not in o.ok("todo", "--as", "pengwei", "-k", "seal").stdout
    o.ok("advance", rid, "use", "--as", DEPUTY, env=at(during))
    # back with the custodian after the period
    rid2 = request(o, "--purpose", "交回后用印")
    o.ok("advance", rid2, "approve", "--as", LEADER, "-m", "同意")
    res = o.oa("advance", rid2, "use", "--as", DEPUTY)
    assert res.exit_code != 0 and "OA660" in res.output
    o.ok("advance", rid2, "use", "--as", CUSTODIAN)
    reg = o.ok("seal", "register", "--json").stdout
    assert '"holder": "liuyan"' in reg and '"to": "wangfang"' in reg


def test_letters_are_numbered_in_sequence_with_stub(ops: Office) -> None:
    """介绍信 numbers run on without gaps within the year (the demo has 1–3), and the 存根 fields
    (recipient, bearers, valid until) are kept; a letter without them is refused (S-OPS-SEAL-1)."""
    o = ops
    rid = request(
        o, "--letter", "--purpose", "联系工作", "--to", "浏阳市财政局", "--bearer", "彭伟",
        "--bearer", "黄丽", "--valid-until", "2026-12-10",
    )  # fmt: skip
    o.ok("advance", rid, "approve", "--as", LEADER, "-m", "同意")
    o.ok("advance", rid, "use", "--as", CUSTODIAN)
    text = path_of(o, rid).read_text(encoding="utf-8")
    assert "letter_number: 4" in text and "recipient: 浏阳市财政局" in text
    assert "valid_until: 2026-12-10" in text
    assert "number: 浏后勤介〔2026〕4号" in text
    bare = request(o, "--letter", "--purpose", "无存根")
    o.ok("advance", bare, "approve", "--as", LEADER, "-m", "同意")
    res = o.oa("advance", bare, "use", "--as", CUSTODIAN)
    assert res.exit_code != 0 and "OA606" in res.output


def test_custodian_raises_concern_with_supervising_leader(ops: Office) -> None:
    """S-OPS-SEAL-2: the custodian refers improper use to the supervising leader, who stops it;
    no one else refers, no other leader rules."""
    o = ops
    rid = request(o, "--purpose", "空白纸张盖章")
    res = o.oa("advance", rid, "refer", "--as", "pengwei", "-m", "x")
    assert res.exit_code != 0 and "OA607" in res.output
    o.ok("advance", rid, "refer", "--as", CUSTODIAN, "-m", "空白纸张不得用印")
    todo = o.ok("todo", "--as", LEADER).stdout
    assert rid in todo
    res = o.oa("advance", rid, "stop", "--as", "zhouhuimin", "-m", "停止")
    assert res.exit_code != 0 and "OA607" in res.output
    o.ok("advance", rid, "stop", "--as", LEADER, "-m", "停止用印")
    assert "state: refused" in path_of(o, rid).read_text(encoding="utf-8")


def _edit(o: Office, rel: str, old: str, new: str) -> None:
    p = o.root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validate_flags_unapproved_use_and_use_without_custody(ops: Office) -> None:
    """S-OPS-SEAL-1/2/3: `oa validate` flags a use without approval (OA480) and a use entered by
    someone not holding the seal then (OA481), with file:line."""
    o = ops
    o.ok("validate")
    rel = "seal/2026/SEAL-2026-0001.yaml"
    text = (o.root / rel).read_text(encoding="utf-8")
    start = text.index("  - at: 2026-11-03T09:40")
    end = text.index("  - at: 2026-11-03T10:05")
    (o.root / rel).write_text(text[:start] + text[end:], encoding="utf-8")
    _edit(
        o,
        "seal/2026/SEAL-2026-0005.yaml",
        "by: yangxue\n    action: use",
        "by: sunpeng\n    action: use",
    )
    res = o.oa("validate")
    assert res.exit_code != 0
    assert re.search(r"seal/2026/SEAL-2026-0001\.yaml:\d+: OA480", res.output), res.output
    assert re.search(r"seal/2026/SEAL-2026-0005\.yaml:\d+: OA481 .*杨雪", res.output), res.output


def test_validate_flags_gap_and_duplicate_letter_numbers(ops: Office) -> None:
    """介绍信 numbers: a duplicate and a gap are each flagged (OA482)."""
    o = ops
    _edit(o, "seal/2026/SEAL-2026-0004.yaml", "letter_number: 2", "letter_number: 1")
    res = o.oa("validate")
    assert res.exit_code != 0
    assert re.search(
        r"SEAL-2026-0004\.yaml:\d+: OA482 .*number 1 is also on SEAL-2026-0002", res.output
    )
    assert re.search(r"SEAL-2026-0006\.yaml:\d+: OA482 .*number 2 missing", res.output), res.output


def test_bad_seal_register_is_flagged_with_line(ops: Office) -> None:
    """The register is data: a hand-over to someone other than the deputy is OA483 at its line."""
    o = ops
    _edit(o, "oa.yaml", "{seal: GZ, to: wangfang,", "{seal: GZ, to: zhaolei,")
    res = o.oa("validate")
    assert res.exit_code != 0
    assert re.search(r"oa\.yaml:\d+: OA483 hand-over 1 of .*赵磊.*not its deputy 王芳", res.output)


# -- registers: goldens (read-only, one copy of the demo) ----------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    root = tmp_path_factory.mktemp("demo") / "office"
    shutil.copytree(DEMO, root, ignore=only_records_of("seal", "purchase", "trip"))
    yield Office(root)


def test_seal_book_golden_filtered_by_seal_and_period(demo: Office, tmp_path: Path) -> None:
    """S-OPS-SEAL-3: the 用印登记簿 for one seal and period as .xlsx and .docx."""
    res = demo.ok(
        "seal", "book", "--seal", "GZ", "--from", "2026-11-01", "--to", "2026-11-20",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert "4 use(s)" in res.stdout and "SEAL-2026-0005" not in res.stdout
    name = "seal-book-GZ-20261101-to20261120"
    golden(f"{name}.xlsx.txt", dump_xlsx(tmp_path / f"{name}.xlsx"))
    golden(f"{name}.docx.txt", dump_docx(tmp_path / f"{name}.docx"))
    res = demo.oa("seal", "book", "--seal", "XX")
    assert res.exit_code != 0 and "OA005" in res.output
    res = demo.oa("seal", "book", "--from", "2026-13-01")
    assert res.exit_code == 2 and "OA005" in res.stderr and "Traceback" not in res.output


def test_letter_with_stub_golden(demo: Office, tmp_path: Path) -> None:
    """S-OPS-SEAL-1: an issued 介绍信 prints with its 存根 and number; an unissued one is refused."""
    res = demo.ok("seal", "letter", "SEAL-2026-0006", "--out", str(tmp_path))
    text = dump_docx(tmp_path / "letter-SEAL-2026-0006.docx")
    assert (
        "浏后勤介〔2026〕3号" in text and "存 根" in text and "中共浏阳市直属机关工作委员会" in text
    )
    golden("letter-SEAL-2026-0006.docx.txt", text)
    assert res.stdout.strip().endswith("letter-SEAL-2026-0006.docx")
    res = demo.oa("seal", "letter", "SEAL-2026-0010", "--out", str(tmp_path))
    assert res.exit_code != 0 and "OA662" in res.output


def test_buy_report_golden_and_warranties(demo: Office, tmp_path: Path) -> None:
    """S-BUY-1/2: the register and spending by unit, year and method; warranties ending soon."""
    res = demo.ok("buy", "report", "--out", str(tmp_path))
    assert "质保将届满: BUY-2025-0001" in res.stdout
    golden("buy-report.xlsx.txt", dump_xlsx(tmp_path / "buy-report.xlsx"))
    res = demo.ok("buy", "report", "--within", "10", "--json")
    assert '"warranties": []' in res.stdout
    res = demo.ok("buy", "report", "--year", "2025", "--json")
    assert "BUY-2026" not in res.stdout


# -- procurement ---------------------------------------------------------------------------------


def test_ordinary_purchase_every_signature_step(ops: Office) -> None:
    """S-BUY-1: letter → budget → market survey (colour, size, material, parameters) → unit
    leader → 行财科 → procurement center → contract → acceptance → settlement and warranty, each
    step with who and when."""
    o = ops
    rid = rid_of(
        o.ok(
            "buy",
            "new",
            "--title",
            "档案密集柜采购",
            "--budget",
            "56000",
            "--method",
            "询价",
            "--as",
            "zhaolei",
        ).stdout
    )
    o.ok("advance", rid, "budget", "--set", "budget=56000", "--set", "method=询价",
         "--set", "funds_paid=true", "--entry", "feedback=同意")  # fmt: skip
    res = o.oa("advance", rid, "study", "--set", "survey=[]")
    assert res.exit_code != 0 and "OA607" in res.output  # no tender steps on the ordinary flow
    o.ok(
        "advance", rid, "survey", "--as", "zhaolei",
        "--set", "survey=[{supplier: 甲公司, price: 55000}, {supplier: 乙公司, price: 56800}]",
        "--set", "specs=[{item: 密集柜, quantity: 6, colour: 灰白, size: 2.4m, material: 冷轧钢板, "
        "parameters: 七层}]",
    )  # fmt: skip
    res = o.oa("advance", rid, "sign_unit", "--as", "zhouhuimin", "-m", "同意")
    assert res.exit_code != 0 and "OA607" in res.output  # 办公室's leader is 汤志强
    o.ok("advance", rid, "sign_unit", "--as", LEADER, "-m", "同意采购")
    o.ok("advance", rid, "sign_finance", "--entry", "signer=行财科 张卫")
    o.ok("advance", rid, "sign_center", "--entry", "signer=采购中心 李敏")
    o.ok("advance", rid, "contract", "--set", "supplier=甲公司", "--set", "contract_no=HT-1",
         "--set", "contract_amount=55000", "--set", "install_by=2026-12-10")  # fmt: skip
    o.ok("advance", rid, "accept", "--set", "accepted_on=2026-11-30", "--entry", "inspectors=赵磊")
    o.ok("advance", rid, "settle", "--set", "settled_amount=55000",
         "--set", "settled_on=2026-11-30", "--set", "warranty_until=2027-11-30")  # fmt: skip
    text = path_of(o, rid).read_text(encoding="utf-8")
    for step in ("sign_unit", "sign_finance", "sign_center", "contract", "accept", "settle"):
        assert f"action: {step}" in text
    assert "signer: 行财科 张卫" in text and "by: tangzhiqiang" in text
    assert "state: settled" in text and "colour: 灰白" in text
    o.ok("validate")


def test_tender_purchase_flow(ops: Office) -> None:
    """S-BUY-2: study → expert consultation → announcement → bidders → shortlist → award →
    contract."""
    o = ops
    rid = rid_of(
        o.ok(
            "buy",
            "new",
            "--title",
            "电梯改造",
            "--flow",
            "招标",
            "--budget",
            "900000",
            "--method",
            "公开招标",
            "--as",
            "hujun",
        ).stdout
    )
    o.ok("advance", rid, "budget", "--set", "budget=900000", "--set", "method=公开招标",
         "--set", "funds_paid=true", "--entry", "feedback=同意")  # fmt: skip
    res = o.oa("advance", rid, "survey", "--set", "survey=[]", "--set", "specs=[]")
    assert res.exit_code != 0 and "OA607" in res.output
    o.ok("advance", rid, "study", "--set", "survey=[{supplier: 甲, price: 880000}]")
    o.ok("advance", rid, "consult", "--set", "experts=[王工]", "--set", "specs=[{item: 电梯}]")
    o.ok("advance", rid, "announce", "--entry", "notice=湖南省政府采购网")
    o.ok("advance", rid, "register", "--set", "bidders=[甲, 乙, 丙]")
    o.ok("advance", rid, "shortlist", "--set", "shortlist=[甲, 乙]")
    o.ok("advance", rid, "award", "--set", "supplier=甲", "--entry", "procedure=公开开标")
    o.ok("advance", rid, "contract", "--set", "supplier=甲", "--set", "contract_no=HT-2",
         "--set", "contract_amount=870000")  # fmt: skip
    assert "state: installing" in path_of(o, rid).read_text(encoding="utf-8")


def test_method_must_fit_amount(ops: Office) -> None:
    """S-BUY-1/2: the office's configured bands decide the methods a budget may use; `buy new`
    refuses a misfit (tree unchanged) and `oa validate` flags one made by hand (OA484, OA485)."""
    o = ops
    before = o.snapshot()
    res = o.oa("buy", "new", "--title", "x", "--budget", "1200000", "--method", "询价")
    assert res.exit_code != 0 and "OA484" in res.output and "公开招标" in res.output
    res = o.oa("buy", "new", "--title", "x", "--budget", "500000", "--method", "公开招标")
    assert res.exit_code != 0 and "OA484" in res.output and "ordinary flow" in res.output
    assert o.snapshot() == before
    _edit(o, "purchase/2026/BUY-2026-0002.yaml", "method: 询价", "method: 比价")
    _edit(o, "purchase/2026/BUY-2026-0005.yaml", "budget: 18000", "budget: 2600000")
    res = o.oa("validate")
    assert re.search(
        r"BUY-2026-0002\.yaml:\d+: OA485 unknown procurement method '比价'", res.output
    )
    assert re.search(r"BUY-2026-0005\.yaml:\d+: OA484 询价 does not fit", res.output)
    methods = o.ok("buy", "methods").stdout
    assert "300,000" in methods and "框架协议" in methods


def test_thresholds_are_data(ops: Office) -> None:
    """Changing the configured band in oa.yaml changes what fits (no amount is hard-coded)."""
    o = ops
    _edit(o, "oa.yaml", "- {below: 300000,", "- {below: 10000,")
    res = o.oa("validate")
    assert re.search(
        r"BUY-2026-0005\.yaml:\d+: OA484 询价 does not fit a budget of 18,000", res.output
    )


# -- vehicles ------------------------------------------------------------------------------------


def test_vehicle_use_and_no_double_dispatch(ops: Office) -> None:
    """S-OPS-CAR-1: request, approval, dispatch with car, driver and mileage, return; the same car
    cannot be dispatched twice at once (OA661, nothing changes), nor can the driver."""
    o = ops
    rid = rid_of(
        o.ok("car", "request", "--purpose", "送文件", "--destination", "市政府",
             "--start", "2026-11-30 10:00", "--end", "2026-11-30 11:30", "--as", "pengwei").stdout
    )  # fmt: skip
    res = o.oa("advance", rid, "cancel", "--as", "hujun", "-m", "x")
    assert res.exit_code != 0 and "OA607" in res.output  # not the requester
    o.ok("advance", rid, "approve", "--as", "zhouhuimin")
    before = o.snapshot()
    res = o.oa("advance", rid, "dispatch", "--as", "caiyong", "--set", "vehicle=湘A·9F051",
               "--set", "driver=caiyong", "--set", "mileage_out=67120")  # fmt: skip
    assert res.exit_code != 0 and "OA661" in res.output and "CAR-2026-0005" in res.output
    res = o.oa("advance", rid, "dispatch", "--as", "caiyong", "--set", "vehicle=湘A·D2618",
               "--set", "driver=liuqiang", "--set", "mileage_out=48436")  # fmt: skip
    assert res.exit_code != 0 and "OA661" in res.output and "driver" in res.output
    assert o.snapshot() == before
    o.ok("advance", rid, "dispatch", "--as", "caiyong", "--set", "vehicle=湘A·D2618",
         "--set", "driver=caiyong", "--set", "mileage_out=48436")  # fmt: skip
    res = o.oa("advance", rid, "return", "--as", "caiyong", "--set", "mileage_in=48000")
    assert res.exit_code != 0 and "OA486" in res.output
    o.ok("advance", rid, "return", "--as", "caiyong", "--set", "mileage_in=48461")
    assert "distance: 25" in path_of(o, rid).read_text(encoding="utf-8")
    log = o.ok("car", "log", "--vehicle", "湘A·D2618", "--json").stdout
    assert rid in log and "CAR-2026-0005" not in log


def test_validate_flags_double_dispatch(ops: Office) -> None:
    """S-OPS-CAR-1: a hand-edited record putting a car out twice at once is OA487."""
    o = ops
    _edit(o, "trip/2026/CAR-2026-0004.yaml", "vehicle: 湘A·5K372", "vehicle: 湘A·D2618")
    _edit(o, "trip/2026/CAR-2026-0004.yaml", "start: 2026-11-26T09:00", "start: 2026-11-23T09:00")
    res = o.oa("validate")
    assert re.search(
        r"CAR-2026-0004\.yaml:\d+: OA487 湘A·D2618 is also out on CAR-2026-0001", res.output
    )


def test_trips_on_the_agenda_and_purchase_tasks(demo: Office) -> None:
    """Approved and dispatched trips appear on the office calendar (category 用车); a purchase
    being installed is a chaseable task with its due day."""
    from oa.core.registry import kinds
    from oa.core.store import Store

    store = Store(demo.root)
    trip, buy = kinds()["trip"], kinds()["purchase"]
    assert trip.agenda is not None and buy.tasks is not None
    data = store.load_path(demo.root / "trip/2026/CAR-2026-0006.yaml").data or {}
    items = list(trip.agenda(store, data, date(2026, 11, 30), date(2026, 12, 13)))
    assert items and items[0].category == "用车" and items[0].day == date(2026, 12, 2)
    chairs = store.load_path(demo.root / "purchase/2026/BUY-2026-0002.yaml").data or {}
    tasks = list(buy.tasks(store, chairs))
    assert tasks[0].due == date(2026, 12, 4) and not tasks[0].done


# -- properties ----------------------------------------------------------------------------------

_T0 = datetime.fromisoformat("2026-11-30T08:00:00+08:00")


def _trip(i: int, start: int, length: int, car: str, driver: str) -> dict[str, object]:
    return {
        "id": f"CAR-2026-{i:04d}", "state": "dispatched", "vehicle": car, "driver": driver,
        "start": _T0 + timedelta(minutes=start), "end": _T0 + timedelta(minutes=start + length),
    }  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 600), st.integers(1, 300), st.integers(0, 600), st.integers(1, 300),
    st.sampled_from(["A", "B"]), st.sampled_from(["x", "y"]),
)  # fmt: skip
def test_clash_is_symmetric_and_means_overlap(
    s1: int, l1: int, s2: int, l2: int, car: str, driver: str
) -> None:
    """S-OPS-CAR-1: two uses clash exactly when they overlap in time and share car or driver."""
    from oa.kinds.trip import clashes

    a = _trip(1, s1, l1, "A", "x")
    b = _trip(2, s2, l2, car, driver)
    overlap = s1 < s2 + l2 and s2 < s1 + l1
    shared = car == "A" or driver == "x"
    assert bool(clashes(a, [b])) == bool(clashes(b, [a])) == (overlap and shared)


@settings(max_examples=100, deadline=None)
@given(st.integers(-2000, 2000))
def test_holder_is_deputy_exactly_within_a_handover(minutes: int) -> None:
    """S-OPS-SEAL-2: the deputy holds the seal from the hand-over's start until (not at) its end."""
    from oa.kinds.seal import SealSettings, holder

    s = SealSettings.model_validate(
        {
            "seals": {"GZ": {"name": "公章", "custodian": "a", "deputy": "b", "leader": "c"}},
            "handovers": [
                {"seal": "GZ", "to": "b", "from": _T0, "until": _T0 + timedelta(hours=8)}
            ],
        }
    )
    moment = _T0 + timedelta(minutes=minutes)
    expected = "b" if 0 <= minutes < 480 else "a"
    assert holder(s, "GZ", moment) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 12), max_size=12))
def test_letter_numbers_without_gaps_or_duplicates(numbers: list[int]) -> None:
    """介绍信 numbering: problems are reported exactly when the numbers are not 1…n each once, and
    the gaps reported cover exactly the missing numbers."""
    from oa.kinds.seal import sequence_problems

    items = [(n, f"seal/2026/SEAL-2026-{i:04d}.yaml", i) for i, n in enumerate(numbers, 1)]
    problems = list(sequence_problems(items))
    clean = sorted(numbers) == list(range(1, len(numbers) + 1))
    assert (problems == []) == clean
    dupes = [p for _, p in problems if "also on" in p]
    assert len(dupes) == len(numbers) - len(set(numbers))
    missing: set[int] = set()
    for _, p in problems:
        m = re.match(r"number (\d+)(?:–(\d+))? missing", p)
        if m:
            missing |= set(range(int(m[1]), int(m[2] or m[1]) + 1))
    assert missing == set(range(1, max(numbers, default=0) + 1)) - set(numbers)
