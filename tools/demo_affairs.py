"""Build the demo office's 办事 records — work arrangements, supervised items, duty log entries and
handovers — in records/ by running the real `oa` commands (and so the real engine) step by step,
each at its own time (OA_NOW), on a temporary copy.

    python tools/demo_affairs.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from oa.cli.app import app  # noqa: E402
from oa.core.config import load_office  # noqa: E402

KINDS = ("arrangement", "supervision", "duty", "handover", "mail")

#: (time, who, command …) in time order; times are Asia/Shanghai
STEPS: list[tuple[str, str, list[str]]] = [
    # -- the arrangement of 11-16 … 11-29, released on time on 11-13
    (
        "2026-11-10T10:00",
        "huangli",
        [
            "plan",
            "add",
            "--dept",
            "SWY",
            "--day",
            "2026-11-18",
            "--time",
            "09:00",
            "--what",
            "市政府第四十二次常务会议会务保障",
            "--where",
            "市政府第一会议室",
            "--lead",
            "pengwei",
        ],
    ),
    (
        "2026-11-11T15:00",
        "xiemei",
        [
            "plan",
            "add",
            "--dept",
            "WYK",
            "--day",
            "2026-11-20",
            "--what",
            "行政中心电梯年度检验",
            "--where",
            "行政中心A、B栋",
            "--lead",
            "hujun",
        ],
    ),
    (
        "2026-11-12T09:30",
        "songtao",
        [
            "plan",
            "add",
            "--dept",
            "BWK",
            "--day",
            "2026-11-25",
            "--time",
            "14:30",
            "--what",
            "冬季消防安全培训",
            "--where",
            "中心三楼会议室",
            "--lead",
            "songtao",
        ],
    ),
    ("2026-11-13T16:00", "wangfang", ["plan", "release", "--from", "2026-11-16"]),
    # -- supervision from documents, a leader's assignment and an arrangement item
    (
        "2026-11-13T16:30",
        "wangfang",
        [
            "supervise",
            "add",
            "--title",
            "行政中心停车场施划泊位方案",
            "--type",
            "领导交办",
            "--dept",
            "CLK",
            "--owner",
            "caiyong",
            "--workdays",
            "5",
            "--assigned",
            "2026-11-13",
        ],
    ),
    (
        "2026-11-16T09:00",
        "wangfang",
        [
            "supervise",
            "add",
            "--title",
            "答复群众停车难问题",
            "--type",
            "领导交办",
            "--dept",
            "CLK",
            "--owner",
            "caiyong",
            "--workdays",
            "10",
            "--assigned",
            "2026-11-16",
        ],
    ),
    (
        "2026-11-16T09:10",
        "wangfang",
        [
            "supervise",
            "add",
            "--title",
            "2027年部门预算编制",
            "--type",
            "领导交办",
            "--dept",
            "CWK",
            "--owner",
            "yangxue",
            "--workdays",
            "15",
            "--assigned",
            "2026-11-16",
        ],
    ),
    (
        "2026-11-16T09:20",
        "wangfang",
        [
            "supervise",
            "add",
            "--title",
            "电梯年检问题整改",
            "--type",
            "工作安排",
            "--source",
            "AP-2026-0001",
            "--item",
            "2",
            "--dept",
            "WYK",
            "--owner",
            "hujun",
            "--workdays",
            "5",
            "--assigned",
            "2026-11-16",
        ],
    ),
    (
        "2026-11-17T10:00",
        "wangfang",
        [
            "supervise",
            "add",
            "--title",
            "食堂冬季菜谱调整方案",
            "--type",
            "领导交办",
            "--dept",
            "SWE",
            "--owner",
            "dengming",
            "--leader",
            "zhouhuimin",
            "--workdays",
            "3",
            "--assigned",
            "2026-11-17",
        ],
    ),
    (
        "2026-11-19T16:00",
        "dengming",
        ["supervise", "feedback", "DB-2026-0005", "--result", "冬季菜谱已调整并公示"],
    ),
    ("2026-11-19T17:00", "wangfang", ["supervise", "remind"]),
    ("2026-11-20T17:00", "wangfang", ["supervise", "remind"]),
    ("2026-11-23T09:00", "wangfang", ["supervise", "remind"]),
    (
        "2026-11-24T11:00",
        "hujun",
        ["supervise", "feedback", "DB-2026-0004", "--result", "限速器已更换，复检合格"],
    ),
    # -- duty: the log of two shifts
    (
        "2026-11-24T08:50",
        "xiaoting",
        [
            "duty",
            "log",
            "-c",
            "来电",
            "--party",
            "市委办公室",
            "--contact",
            "83611111",
            "--content",
            "询问11月25日下午三楼会议室是否空闲",
            "--settle",
            "已答复：当日14:30有消防培训，建议改用二楼会议室",
        ],
    ),
    (
        "2026-11-24T10:15",
        "xiaoting",
        [
            "duty",
            "log",
            "-c",
            "来访",
            "--party",
            "群众张某某",
            "--content",
            "反映行政中心东门路灯损坏，夜间通行不便",
            "--forward",
            "WYK",
            "--workdays",
            "3",
        ],
    ),
    (
        "2026-11-24T11:40",
        "xiaoting",
        [
            "duty",
            "log",
            "-c",
            "来访",
            "--party",
            "退休职工李某",
            "--content",
            "咨询住房补贴发放政策",
            "--settle",
            "按市住房补贴文件解释政策，未作承诺",
        ],
    ),
    (
        "2026-11-24T16:20",
        "xiaoting",
        [
            "duty",
            "log",
            "-c",
            "信息",
            "--party",
            "市应急管理局",
            "--content",
            "寒潮蓝色预警：25日起气温下降8℃",
            "--report",
            "lijianguo",
        ],
    ),
    (
        "2026-11-24T16:40",
        "lijianguo",
        [
            "duty",
            "instruct",
            "ZB-2026-0004",
            "--instruction",
            "通知物业、保卫做好防寒防冻，检查水管保温",
        ],
    ),
    (
        "2026-11-24T17:30",
        "xiaoting",
        ["duty", "handover", "--to", "wangfang", "--notes", "东门路灯已转物业管理科，待反馈"],
    ),
    ("2026-11-24T17:35", "wangfang", ["duty", "ack", "JJ-2026-0001"]),
    (
        "2026-11-26T14:00",
        "xiemei",
        ["supervise", "feedback", "DB-2026-0006", "--result", "东门路灯已更换"],
    ),
    ("2026-11-27T09:00", "wangfang", ["supervise", "remind"]),
    # -- the arrangement of 11-30 … 12-13, released on time on 11-27
    (
        "2026-11-24T09:00",
        "huangli",
        [
            "plan",
            "add",
            "--dept",
            "SWY",
            "--day",
            "2026-12-02",
            "--time",
            "09:00",
            "--what",
            "市十八届人大常委会第三十次会议会务保障",
            "--where",
            "市人大常委会会议室",
            "--lead",
            "pengwei",
        ],
    ),
    (
        "2026-11-25T10:00",
        "sunpeng",
        [
            "plan",
            "add",
            "--dept",
            "CWK",
            "--day",
            "2026-12-04",
            "--what",
            "报送2027年部门预算初稿",
            "--lead",
            "yangxue",
        ],
    ),
    (
        "2026-11-26T15:00",
        "songtao",
        [
            "plan",
            "add",
            "--dept",
            "BWK",
            "--day",
            "2026-12-08",
            "--time",
            "10:00",
            "--what",
            "行政中心冬季消防安全检查",
            "--where",
            "行政中心各楼栋",
            "--lead",
            "songtao",
        ],
    ),
    (
        "2026-11-26T15:30",
        "xiaoting",
        [
            "plan",
            "add",
            "--dept",
            "BGS",
            "--day",
            "2026-12-11",
            "--time",
            "15:00",
            "--what",
            "年度工作总结座谈会",
            "--where",
            "中心三楼会议室",
            "--lead",
            "liuyan",
        ],
    ),
    ("2026-11-27T16:00", "wangfang", ["plan", "release", "--from", "2026-11-30"]),
    # -- today
    (
        "2026-11-30T08:45",
        "zhaolei",
        [
            "duty",
            "log",
            "-c",
            "公务联系",
            "--party",
            "市供电公司",
            "--contact",
            "83622222",
            "--content",
            "12月1日行政中心配电设施检修需停电4小时，请协调",
            "--report",
            "lijianguo",
        ],
    ),
    (
        "2026-11-30T08:50",
        "zhaolei",
        [
            "duty",
            "log",
            "-c",
            "来电",
            "--party",
            "市政府办公室",
            "--content",
            "通知12月2日常务会议增加列席单位3家，请调整座位",
            "--forward",
            "SWY",
            "--workdays",
            "1",
        ],
    ),
    ("2026-11-30T08:55", "zhaolei", ["duty", "handover", "--to", "xiaoting"]),
    (
        "2026-11-30T08:56",
        "huangli",
        [
            "plan",
            "add",
            "--dept",
            "SWY",
            "--day",
            "2026-12-16",
            "--what",
            "市政协常委会议会务保障",
            "--lead",
            "pengwei",
        ],
    ),
    ("2026-11-30T08:58", "wangfang", ["supervise", "remind"]),
]


#: 报刊信件: registered in the morning post, delivered and signed for; one misdelivered
MAIL: list[tuple[str, str, list[str]]] = [
    (
        "2026-11-26T08:40",
        "wangfang",
        ["mail", "register", "--type", "报纸", "--from", "湖南日报", "--to", "chenguohua"],
    ),
    (
        "2026-11-26T08:41",
        "wangfang",
        ["mail", "register", "--type", "期刊", "--from", "中国机关后勤", "--to", "BGS"],
    ),
    (
        "2026-11-26T08:43",
        "wangfang",
        [
            "mail",
            "register",
            "--type",
            "挂号信",
            "--from",
            "长沙市机关事务管理局",
            "--to",
            "CWK",
            "--tracking",
            "XA361245790CN",
        ],
    ),
    (
        "2026-11-26T08:45",
        "wangfang",
        [
            "mail",
            "register",
            "--type",
            "包裹",
            "--from",
            "浏阳市档案馆",
            "--to",
            "zhaolei",
            "--title",
            "档案整理用品",
        ],
    ),
    (
        "2026-11-26T10:00",
        "wangfang",
        ["mail", "deliver", "YJ-2026-0001", "--signed-by", "chenguohua"],
    ),
    ("2026-11-26T10:05", "wangfang", ["mail", "deliver", "YJ-2026-0002", "--signed-by", "liuyan"]),
    (
        "2026-11-26T10:10",
        "wangfang",
        ["mail", "flag", "YJ-2026-0003", "--reason", "财务科无人签收（科室外出培训），次日补投"],
    ),
    ("2026-11-26T10:20", "wangfang", ["mail", "deliver", "YJ-2026-0004", "--signed-by", "zhaolei"]),
    ("2026-11-27T09:30", "wangfang", ["mail", "deliver", "YJ-2026-0003", "--signed-by", "yangxue"]),
    (
        "2026-11-30T08:30",
        "wangfang",
        ["mail", "register", "--type", "报纸", "--from", "浏阳日报", "--to", "tangzhiqiang"],
    ),
    (
        "2026-11-30T08:32",
        "wangfang",
        [
            "mail",
            "register",
            "--type",
            "信件",
            "--from",
            "市民王某",
            "--to",
            "WYK",
            "--title",
            "关于小区绿化的建议信",
        ],
    ),
]
STEPS += MAIL


def build(target: Path) -> None:
    office = load_office(target)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "office"
        shutil.copytree(target, work, ignore=shutil.ignore_patterns(*KINDS, ".oa"))
        for when, who, args in sorted(STEPS, key=lambda s: s[0]):
            env = {
                "OA_NOW": f"{when}:00+08:00",
                "GIT_AUTHOR_EMAIL": office.people[who].email,
                "OA_USER": who,
            }
            res = runner.invoke(app, ["--root", str(work), *args], env=env)
            if res.exit_code != 0:
                raise SystemExit(f"{when} {who} oa {' '.join(args)}:\n{res.output}")
            print(f"{when} {who}: {res.stdout.splitlines()[0] if res.stdout else ''}")
        os.environ.pop("OA_NOW", None)
        for kind in KINDS:
            shutil.rmtree(target / kind, ignore_errors=True)
            if (work / kind).exists():
                shutil.copytree(work / kind, target / kind)


if __name__ == "__main__":
    build(ROOT / "records")
