"""Build the demo office's seal uses and 介绍信, purchases and vehicle uses in records/ through the
real engine (issue 6: S-OPS-SEAL, S-BUY, S-OPS-CAR).

    python tools/demo_seals.py

Every step runs with OA_NOW set to its time, as the person who takes it, on a temporary git copy of
records/; the kinds' folders are then copied back. Review the diff and commit it with the trailer
`OA-Import: demo office`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oa.core.engine import advance, create  # noqa: E402
from oa.core.identity import Actor  # noqa: E402
from oa.core.registry import kinds  # noqa: E402
from oa.core.store import Store  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
KINDS = ("seal", "purchase", "trip")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


# (time, key, action or "new:<kind>", actor, opinion, fields/sets, entry values)
Event = tuple[str, str, str, str, str | None, dict[str, Any], dict[str, Any]]

SEALS: list[Event] = [
    # 公章 for an outgoing document, written approval, stamped by the custodian
    ("2026-11-03 09:10", "s1", "new:seal", "wangfang", None,
     {"title": "用印：浏后勤发〔2026〕6号文件盖章", "use": "用印", "seal": "GZ",
      "purpose": "《关于开展冬季办公区消防安全大检查的通知》盖章", "copies": 12,
      "requester": "wangfang", "department": "BGS"}, {}),
    ("2026-11-03 09:40", "s1", "approve", "tangzhiqiang", "同意用印。", {}, {}),
    ("2026-11-03 10:05", "s1", "use", "liuyan", None, {}, {}),
    # 介绍信 No. 1
    ("2026-11-05 14:00", "s2", "new:seal", "pengwei", None,
     {"title": "介绍信：赴市财政局办理会议经费结算", "use": "介绍信", "seal": "GZ",
      "purpose": "赴市财政局办理第三季度会议经费结算", "requester": "pengwei", "department": "SWY",
      "recipient": "浏阳市财政局", "bearers": ["彭伟", "黄丽"], "valid_until": "2026-11-12"}, {}),
    ("2026-11-05 15:20", "s2", "approve", "zhouhuimin", "同意。", {}, {}),
    ("2026-11-05 15:35", "s2", "use", "liuyan", None, {}, {}),
    # oral approval during the hand-over: the deputy holds the 公章 (16–20 Nov)
    ("2026-11-17 08:20", "s3", "new:seal", "hujun", None,
     {"title": "用印：物业服务合同续签盖章", "use": "用印", "seal": "GZ",
      "purpose": "2027年度行政中心物业服务合同续签", "copies": 4,
      "requester": "hujun", "department": "WYK"}, {}),
    ("2026-11-17 08:45", "s3", "approve_oral", "lijianguo", "电话同意盖章，回单位后补签。",
     {}, {"heard_by": "wangfang", "heard_at": t("2026-11-17 08:40")}),
    ("2026-11-17 09:00", "s3", "use", "wangfang", None, {}, {}),
    # 介绍信 No. 2, during the hand-over
    ("2026-11-18 10:00", "s4", "new:seal", "songtao", None,
     {"title": "介绍信：赴市消防救援大队联系消防检查", "use": "介绍信", "seal": "GZ",
      "purpose": "联系冬季消防安全检查事宜", "requester": "songtao", "department": "BWK",
      "recipient": "浏阳市消防救援大队", "bearers": ["宋涛"], "valid_until": "2026-11-25"}, {}),
    ("2026-11-18 10:30", "s4", "approve", "lijianguo", "同意。", {}, {}),
    ("2026-11-18 10:50", "s4", "use", "wangfang", None, {}, {}),
    # 财务专用章
    ("2026-11-24 10:00", "s5", "new:seal", "sunpeng", None,
     {"title": "用印：11月工资发放表盖财务专用章", "use": "用印", "seal": "CWZ",
      "purpose": "11月在编人员工资发放表报送", "copies": 3,
      "requester": "sunpeng", "department": "CWK"}, {}),
    ("2026-11-24 10:30", "s5", "approve", "tangzhiqiang", "同意。", {}, {}),
    ("2026-11-24 11:00", "s5", "use", "yangxue", None, {}, {}),
    # 党支部章, 介绍信 No. 3 (组织关系)
    ("2026-11-25 09:00", "s6", "new:seal", "xiaoting", None,
     {"title": "介绍信：党员组织关系转接", "use": "介绍信", "seal": "DZB",
      "purpose": "肖婷同志党员组织关系转入市直机关工委", "requester": "xiaoting", "department": "BGS",
      "recipient": "中共浏阳市直属机关工作委员会", "bearers": ["肖婷"], "valid_until": "2026-12-25"}, {}),
    ("2026-11-25 11:00", "s6", "approve", "chenguohua", "同意。", {}, {}),
    ("2026-11-25 15:00", "s6", "use", "zhaolei", None, {}, {}),
    # the custodian refers an improper request to the supervising leader, who stops it
    ("2026-11-26 09:00", "s7", "new:seal", "luoqing", None,
     {"title": "用印：空白纸张盖章", "use": "用印", "seal": "GZ",
      "purpose": "在空白信笺上预先加盖公章备用", "copies": 5,
      "requester": "luoqing", "department": "SWE"}, {}),
    ("2026-11-26 09:20", "s7", "refer", "liuyan", "空白信笺预盖公章不符合用印规定，报分管领导。", {}, {}),
    ("2026-11-26 10:00", "s7", "stop", "tangzhiqiang", "不得在空白纸张上用印。", {}, {}),
    # refused by the leader
    ("2026-11-27 14:00", "s8", "new:seal", "dengming", None,
     {"title": "用印：个人收入证明盖章", "use": "用印", "seal": "GZ",
      "purpose": "为外单位人员出具收入证明", "copies": 1,
      "requester": "dengming", "department": "SWE"}, {}),
    ("2026-11-27 15:00", "s8", "refuse", "zhouhuimin", "非本单位人员，不予出具。", {}, {}),
    # approved, waiting for the custodian
    ("2026-11-27 16:00", "s9", "new:seal", "huangli", None,
     {"title": "用印：全市后勤工作会议通知盖章", "use": "用印", "seal": "GZ",
      "purpose": "全市机关后勤工作会议通知", "copies": 40,
      "requester": "huangli", "department": "SWY"}, {}),
    ("2026-11-27 16:30", "s9", "approve", "zhouhuimin", "同意。", {}, {}),
    # requested, waiting for approval
    ("2026-11-30 08:40", "s10", "new:seal", "yangxue", None,
     {"title": "介绍信：赴银行办理账户年检", "use": "介绍信", "seal": "GZ",
      "purpose": "基本存款账户年检", "requester": "yangxue", "department": "CWK",
      "recipient": "中国工商银行浏阳支行", "bearers": ["杨雪"], "valid_until": "2026-12-10"}, {}),
]  # fmt: skip

SPECS_CHAIRS = [
    {"item": "会议椅", "quantity": 120, "colour": "深灰", "size": "高96cm×宽58cm",
     "material": "钢架、网布", "parameters": "承重≥150kg，可叠放"},
]  # fmt: skip
SPECS_AV = [
    {"item": "会议室扩声系统", "quantity": 1, "material": "—",
     "parameters": "数字会议主机1台、鹅颈话筒40支、线阵音箱4只"},
    {"item": "LED显示屏", "quantity": 1, "colour": "黑色边框", "size": "6.4m×3.6m",
     "parameters": "P1.86，亮度≥600nit"},
]  # fmt: skip

PURCHASES: list[Event] = [
    # ordinary, all the way to settlement; warranty ending soon
    ("2025-12-02 09:00", "b1", "new:purchase", "xiemei", None,
     {"title": "行政中心空调维保配件采购", "flow": "普通", "department": "WYK",
      "requester": "xiemei", "budget": 86000, "method": "询价"}, {}),
    ("2025-12-05 10:00", "b1", "budget", "liuyan", None,
     {"budget": 86000, "method": "询价", "funds_paid": True}, {"feedback": "同意，资金已拨付"}),
    ("2025-12-10 10:00", "b1", "survey", "xiemei", None,
     {"survey": [{"supplier": "长沙美制冷设备有限公司", "price": 84500},
                 {"supplier": "浏阳市恒温机电经营部", "price": 86200}],
      "specs": [{"item": "压缩机", "quantity": 4, "parameters": "5匹，R410A"}]}, {}),
    ("2025-12-11 09:00", "b1", "sign_unit", "lijianguo", "同意采购。", {}, {}),
    ("2025-12-15 15:00", "b1", "sign_finance", "liuyan", None, {}, {"signer": "市财政局行财科 张卫"}),
    ("2025-12-18 10:00", "b1", "sign_center", "liuyan", None, {}, {"signer": "市政府采购中心 李敏"}),
    ("2025-12-22 10:00", "b1", "contract", "liuyan", None,
     {"supplier": "长沙美制冷设备有限公司", "contract_no": "LYCG-2025-1187", "contract_amount": 84500,
      "install_by": "2026-01-10"}, {}),
    ("2026-01-08 16:00", "b1", "accept", "xiemei", None,
     {"accepted_on": "2026-01-08", "onsite_check": True}, {"inspectors": "谢梅、胡军"}),
    ("2026-01-20 10:00", "b1", "settle", "sunpeng", None,
     {"settled_amount": 84500, "settled_on": "2026-01-20", "warranty_until": "2026-12-31"}, {}),
    # ordinary: chairs, contracted, installation due
    ("2026-10-12 09:00", "b2", "new:purchase", "huangli", None,
     {"title": "第三会议室会议椅采购", "flow": "普通", "department": "SWY",
      "requester": "huangli", "budget": 96000, "method": "询价"}, {}),
    ("2026-10-15 10:00", "b2", "budget", "liuyan", None,
     {"budget": 96000, "method": "询价", "funds_paid": True}, {"feedback": "同意，预算96000元"}),
    ("2026-10-22 10:00", "b2", "survey", "huangli", None,
     {"survey": [{"supplier": "湖南华美办公家具有限公司", "price": 91200},
                 {"supplier": "长沙雅座家具有限公司", "price": 94800},
                 {"supplier": "浏阳市宏达办公用品店", "price": 98400}],
      "specs": SPECS_CHAIRS}, {}),
    ("2026-10-23 09:30", "b2", "sign_unit", "zhouhuimin", "同意按调查结果申报。", {}, {}),
    ("2026-10-28 15:00", "b2", "sign_finance", "liuyan", None, {}, {"signer": "市财政局行财科 张卫"}),
    ("2026-11-02 11:00", "b2", "sign_center", "liuyan", None, {}, {"signer": "市政府采购中心 李敏"}),
    ("2026-11-06 10:00", "b2", "contract", "liuyan", None,
     {"supplier": "湖南华美办公家具有限公司", "contract_no": "LYCG-2026-0931", "contract_amount": 91200,
      "install_by": "2026-12-04"}, {}),
    # tender: the big AV system, settled with a long warranty
    ("2026-10-08 09:00", "b3", "new:purchase", "pengwei", None,
     {"title": "行政中心大会议室音视频系统改造", "flow": "招标", "department": "SWY",
      "requester": "pengwei", "budget": 1280000, "method": "公开招标"}, {}),
    ("2026-10-09 10:00", "b3", "budget", "liuyan", None,
     {"budget": 1280000, "method": "公开招标", "funds_paid": True}, {"feedback": "列入年度预算"}),
    ("2026-10-12 10:00", "b3", "study", "pengwei", None,
     {"survey": [{"supplier": "湖南声光科技有限公司", "price": 1250000},
                 {"supplier": "长沙视界智能工程有限公司", "price": 1310000}]}, {}),
    ("2026-10-14 15:00", "b3", "consult", "liuyan", None,
     {"experts": ["刘志刚（湖南大学）", "陈晓（市政务服务中心）"], "specs": SPECS_AV}, {}),
    ("2026-10-16 09:00", "b3", "announce", "liuyan", None, {}, {"notice": "湖南省政府采购网 2026-10-16"}),
    ("2026-10-26 17:00", "b3", "register", "liuyan", None,
     {"bidders": ["湖南声光科技有限公司", "长沙视界智能工程有限公司", "湖南中音实业有限公司",
                  "株洲华讯信息工程有限公司"]}, {}),
    ("2026-10-28 10:00", "b3", "shortlist", "liuyan", None,
     {"shortlist": ["湖南声光科技有限公司", "长沙视界智能工程有限公司", "湖南中音实业有限公司"]}, {}),
    ("2026-11-06 10:00", "b3", "award", "liuyan", None,
     {"supplier": "湖南声光科技有限公司"}, {"procedure": "公开开标，综合评分第一"}),
    ("2026-11-09 10:00", "b3", "contract", "liuyan", None,
     {"supplier": "湖南声光科技有限公司", "contract_no": "LYCG-2026-1012", "contract_amount": 1236000,
      "install_by": "2026-11-25"}, {}),
    ("2026-11-25 16:00", "b3", "accept", "pengwei", None,
     {"accepted_on": "2026-11-25", "onsite_check": True}, {"inspectors": "彭伟、黄丽、市采购中心"}),
    ("2026-11-27 10:00", "b3", "settle", "sunpeng", None,
     {"settled_amount": 1236000, "settled_on": "2026-11-27", "warranty_until": "2029-11-25"}, {}),
    # tender: canteen equipment, bidders registering
    ("2026-11-10 09:00", "b4", "new:purchase", "dengming", None,
     {"title": "机关食堂厨房设备更新", "flow": "招标", "department": "SWE",
      "requester": "dengming", "budget": 420000, "method": "公开招标"}, {}),
    ("2026-11-12 10:00", "b4", "budget", "liuyan", None,
     {"budget": 420000, "method": "公开招标", "funds_paid": True}, {"feedback": "同意"}),
    ("2026-11-16 10:00", "b4", "study", "dengming", None,
     {"survey": [{"supplier": "长沙厨邦设备有限公司", "price": 405000}]}, {}),
    ("2026-11-19 15:00", "b4", "consult", "liuyan", None,
     {"experts": ["王建（市市场监管局）"],
      "specs": [{"item": "商用蒸饭柜", "quantity": 2, "material": "304不锈钢",
                 "parameters": "24盘，电加热"}]}, {}),
    ("2026-11-23 09:00", "b4", "announce", "liuyan", None, {}, {"notice": "湖南省政府采购网 2026-11-23"}),
    # ordinary: just applied
    ("2026-11-26 10:00", "b5", "new:purchase", "caiyong", None,
     {"title": "公务用车冬季轮胎更换", "flow": "普通", "department": "CLK",
      "requester": "caiyong", "budget": 18000, "method": "询价"}, {}),
    # cancelled
    ("2026-11-03 09:00", "b6", "new:purchase", "songtao", None,
     {"title": "监控硬盘录像机扩容", "flow": "普通", "department": "BWK",
      "requester": "songtao", "budget": 35000, "method": "询价"}, {}),
    ("2026-11-10 11:00", "b6", "cancel", "lijianguo", "并入明年安防改造项目统一采购。", {}, {}),
]  # fmt: skip

TRIPS: list[Event] = [
    ("2026-11-20 16:00", "c1", "new:trip", "pengwei", None,
     {"title": "用车：赴长沙参加全省机关事务工作培训", "requester": "pengwei", "department": "SWY",
      "purpose": "赴长沙参加全省机关事务工作培训", "destination": "长沙市岳麓区", "passengers": 3,
      "start": "2026-11-23T07:30:00+08:00", "end": "2026-11-23T18:30:00+08:00"}, {}),
    ("2026-11-20 17:00", "c1", "approve", "zhouhuimin", "同意。", {}, {}),
    ("2026-11-21 09:00", "c1", "dispatch", "caiyong", None,
     {"vehicle": "湘A·D2618", "driver": "liuqiang", "mileage_out": 48210}, {}),
    ("2026-11-23 18:40", "c1", "return", "caiyong", None, {"mileage_in": 48436}, {}),
    ("2026-11-26 08:30", "c2", "new:trip", "songtao", None,
     {"title": "用车：消防安全检查", "requester": "songtao", "department": "BWK",
      "purpose": "行政中心附楼消防设施检查", "destination": "行政中心附楼、食堂", "passengers": 2,
      "start": "2026-11-26T09:00:00+08:00", "end": "2026-11-26T11:30:00+08:00"}, {}),
    ("2026-11-26 08:40", "c2", "approve", "lijianguo", None, {}, {}),
    ("2026-11-26 08:50", "c2", "dispatch", "caiyong", None,
     {"vehicle": "湘A·5K372", "driver": "caiyong", "mileage_out": 102337}, {}),
    ("2026-11-26 11:40", "c2", "return", "caiyong", None, {"mileage_in": 102351}, {}),
    ("2026-11-27 15:00", "c3", "new:trip", "huangli", None,
     {"title": "用车：全市后勤工作会议代表接送", "requester": "huangli", "department": "SWY",
      "purpose": "全市机关后勤工作会议代表接送", "destination": "浏阳高铁站—行政中心", "passengers": 15,
      "start": "2026-11-30T07:30:00+08:00", "end": "2026-11-30T12:00:00+08:00"}, {}),
    ("2026-11-27 16:00", "c3", "approve", "zhouhuimin", "同意。", {}, {}),
    ("2026-11-30 07:10", "c3", "dispatch", "caiyong", None,
     {"vehicle": "湘A·9F051", "driver": "liuqiang", "mileage_out": 67120}, {}),
    ("2026-11-28 10:00", "c4", "new:trip", "yangxue", None,
     {"title": "用车：赴市财政局报送决算", "requester": "yangxue", "department": "CWK",
      "purpose": "报送2026年度部门决算", "destination": "浏阳市财政局", "passengers": 2,
      "start": "2026-12-02T14:00:00+08:00", "end": "2026-12-02T16:30:00+08:00"}, {}),
    ("2026-11-28 11:00", "c4", "approve", "tangzhiqiang", None, {}, {}),
    ("2026-11-29 16:00", "c5", "new:trip", "hujun", None,
     {"title": "用车：物业服务满意度调查走访", "requester": "hujun", "department": "WYK",
      "purpose": "走访入驻单位开展物业服务满意度调查", "destination": "市直各入驻单位", "passengers": 2,
      "start": "2026-12-03T09:00:00+08:00", "end": "2026-12-03T11:30:00+08:00"}, {}),
    ("2026-11-25 10:00", "c6", "new:trip", "luoqing", None,
     {"title": "用车：个人事务", "requester": "luoqing", "department": "SWE",
      "purpose": "接送家属", "destination": "浏阳市人民医院", "passengers": 2,
      "start": "2026-11-25T17:30:00+08:00", "end": "2026-11-25T18:30:00+08:00"}, {}),
    ("2026-11-25 11:00", "c6", "refuse", "zhouhuimin", "公务用车不得用于个人事务。", {}, {}),
    ("2026-11-24 09:00", "c7", "new:trip", "xiaoting", None,
     {"title": "用车：档案移交", "requester": "xiaoting", "department": "BGS",
      "purpose": "向市档案馆移交2015年度档案", "destination": "浏阳市档案馆", "passengers": 2,
      "start": "2026-11-24T14:00:00+08:00", "end": "2026-11-24T16:00:00+08:00"}, {}),
    ("2026-11-24 10:00", "c7", "cancel", "xiaoting", "档案馆通知改期。", {}, {}),
]  # fmt: skip


def _dates(fields: dict[str, Any]) -> dict[str, Any]:
    from datetime import date

    out: dict[str, Any] = {}
    for k, v in fields.items():
        if isinstance(v, str) and k in ("start", "end"):
            v = datetime.fromisoformat(v)
        elif isinstance(v, str) and k in (
            "valid_until", "install_by", "accepted_on", "settled_on", "warranty_until"
        ):  # fmt: skip
            v = date.fromisoformat(v)
        out[k] = v
    return out


def build(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "office"
        shutil.copytree(target, work, ignore=shutil.ignore_patterns(*KINDS, ".oa"))
        env = {**os.environ, "GIT_AUTHOR_NAME": "demo", "GIT_AUTHOR_EMAIL": "demo@example.org",
               "GIT_COMMITTER_NAME": "demo", "GIT_COMMITTER_EMAIL": "demo@example.org"}  # fmt: skip
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start"]):
            subprocess.run(["git", *args], cwd=work, check=True, capture_output=True, env=env)
        os.environ.update({k: v for k, v in env.items() if k.startswith("GIT_")})
        store = Store(work)
        ids: dict[str, str] = {}
        events = sorted([*SEALS, *PURCHASES, *TRIPS], key=lambda e: e[0])
        for when, key, what, actor, opinion, fields, values in events:
            os.environ["OA_NOW"] = t(when).isoformat()
            if what.startswith("new:"):
                kind = kinds()[what[4:]]
                ids[key] = create(store, kind, _dates(fields), Actor(actor)).rid
            else:
                advance(
                    store,
                    ids[key],
                    what,
                    Actor(actor),
                    opinion=opinion,
                    sets=_dates(fields),
                    entry_values=values,
                )
        os.environ.pop("OA_NOW", None)
        for kind in KINDS:
            shutil.rmtree(target / kind, ignore_errors=True)
            shutil.copytree(work / kind, target / kind)
    print(f"{len(ids)} seal, purchase and vehicle records written to {target}")


if __name__ == "__main__":
    build(ROOT / "records")
