"""Every finding and error `oa` can report, with a stable code.

Codes never change meaning once released: CI scripts and reviewers match on them. The table is the
single source for docs/errors.md (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    explain: str
    example: str


_CODES: list[Code] = [
    # OA0xx — usage and environment (exit 2)
    Code(
        "OA001",
        "not in a records repository",
        "No `oa.yaml` was found in the working directory or any parent, and no `--root` was given.",
        "oa: OA001 not inside an oa records repository (no oa.yaml in /tmp or any parent)",
    ),
    Code(
        "OA002",
        "demo office missing",
        "`oa init --demo` could not find the embedded demo office (install oa from a source checkout).",
        "oa: OA002 the embedded demo office was not found at /opt/oa/records",
    ),
    Code(
        "OA003",
        "target exists",
        "`oa init PATH` refuses a PATH that already holds an `oa.yaml` or a non-empty directory.",
        "oa: OA003 /srv/office is not empty; choose a new directory",
    ),
    Code(
        "OA004",
        "git not available",
        "A command needed git and git failed or is not installed.",
        "oa: OA004 git commit failed: fatal: unable to auto-detect email address",
    ),
    Code(
        "OA005",
        "bad argument",
        "An argument has the wrong form (a date, a KEY=VALUE pair, a choice).",
        "oa: OA005 --set expects KEY=VALUE, got 'copies'",
    ),
    Code(
        "OA006",
        "lock timeout",
        "Another `oa` process held the repository's write lock for too long. The lock is released "
        "when its holder exits, even if killed, so simply retry.",
        "oa: OA006 another oa command is writing in this repository; gave up after 30 s",
    ),
    Code(
        "OA007",
        "write failed",
        "The file system refused a write (full disk, read-only). Nothing was changed.",
        "outgoing/2026/OUT-2026-0001.yaml: OA007 write failed: [Errno 28] No space left on device",
    ),
    Code(
        "OA008",
        "calendar year unknown",
        "A deadline falls in a year that neither chinese-calendar nor `calendar/<year>.yaml` knows; "
        "Monday to Friday are counted as workdays until the State Council's notice is added. A "
        "warning: it never fails a command.",
        "calendar/2028.yaml: OA008 [warning] 2028 is not in chinese-calendar nor in "
        "calendar/2028.yaml: counting Monday to Friday as workdays",
    ),
    Code(
        "OA009",
        "interrupted change",
        "An oa command was killed between writing a record and committing it. The next oa write "
        "finishes the job: if the commit landed it only drops the journal (.oa/pending.json), "
        "otherwise it rolls the change back. A warning: nothing is lost that was committed.",
        "outgoing/2026/OUT-2026-0016.yaml: OA009 [warning] an interrupted change to OUT-2026-0016 "
        "was never committed: rolled back",
    ),
    Code(
        "OA010",
        "records left out",
        "A listing, the work arrangement or the day's check left out record files that do not "
        "load cleanly (a syntax or schema error): what it shows may be incomplete. A warning on "
        "stderr; `oa validate` shows what is wrong with each file.",
        "oa: OA010 [warning] 1 record file left out, as it does not load cleanly (oa validate "
        "shows why): meeting/2026/MTG-2026-0007.yaml",
    ),
    Code(
        "OA099",
        "internal error",
        "A bug in oa. Nothing half-written is left behind (writes are atomic); please report it "
        "with the command and OA_DEBUG=1 output.",
        "oa: OA099 internal error: KeyError: 'x' (please report it; OA_DEBUG=1 shows the "
        "traceback)",
    ),
    # OA1xx — syntax
    Code(
        "OA101",
        "YAML syntax error",
        "The file is not valid YAML. The position is where the parser gave up.",
        "outgoing/2026/OUT-2026-0003.yaml:7: OA101 YAML syntax error: did not find expected key "
        "(column 3)",
    ),
    Code(
        "OA102",
        "not UTF-8",
        "Record files must be UTF-8 text.",
        "outgoing/2026/OUT-2026-0003.yaml:1: OA102 file is not valid UTF-8 (byte 0xd5 at offset 41)",
    ),
    Code(
        "OA103",
        "anchors and aliases are not allowed",
        "Records may not use YAML anchors (`&a`) or aliases (`*a`): they hide content from review "
        "and allow alias bombs.",
        "outgoing/2026/OUT-2026-0003.yaml:4: OA103 YAML anchors/aliases are not allowed in records",
    ),
    Code(
        "OA104",
        "file too large or too deep",
        "A record file is larger than 1 MiB or nested deeper than 32 levels.",
        "outgoing/2026/OUT-2026-0003.yaml:1: OA104 file is 5242880 bytes; records are limited to "
        "1048576",
    ),
    Code(
        "OA105",
        "not a mapping",
        "A record file must hold one YAML mapping (key: value lines).",
        "outgoing/2026/OUT-2026-0003.yaml:1: OA105 a record must be a YAML mapping, found a list",
    ),
    # OA2xx — schema and layout
    Code(
        "OA201",
        "schema error",
        "A field is missing, unknown, or of the wrong type or value.",
        "outgoing/2026/OUT-2026-0003.yaml:9: OA201 urgency: Input should be '特急' or '加急'",
    ),
    Code(
        "OA202",
        "unknown kind",
        "The record's `kind` (or the folder it is in) names no known record kind.",
        "memos/2026/MEMO-2026-0001.yaml:1: OA202 unknown record kind 'memos'",
    ),
    Code(
        "OA203",
        "file name does not match ID",
        "A record lives in `<kind>/<year>/<ID>.yaml`; the file name must be its `id`.",
        "outgoing/2026/OUT-2026-0003.yaml:2: OA203 id OUT-2026-0004 does not match the file name",
    ),
    Code(
        "OA204",
        "record in the wrong folder",
        "The folder must be the record's kind and the ID's year.",
        "outgoing/2025/OUT-2026-0003.yaml:2: OA204 OUT-2026-0003 belongs in outgoing/2026/",
    ),
    Code(
        "OA205",
        "malformed ID",
        "IDs are `<PREFIX>-<YYYY>-<NNNN>` with the kind's prefix.",
        "outgoing/2026/x.yaml:2: OA205 'x' is not an ID of the form OUT-YYYY-NNNN",
    ),
    Code(
        "OA210",
        "oa.yaml error",
        "The office configuration is missing, not valid YAML, or does not match its schema.",
        "oa.yaml:12: OA210 people.3.department: unknown department 'XXK'",
    ),
    Code(
        "OA211",
        "workflow error",
        "A workflow file is not valid: unknown states, roles, guards or effects.",
        "workflows/outgoing.yaml:30: OA211 action 'sign' goes to unknown state 'signed'",
    ),
    Code(
        "OA212",
        "stray file",
        "A file in a record folder that is not a record (records end in `.yaml`).",
        "outgoing/2026/notes.txt:1: OA212 not a record file",
    ),
    Code(
        "OA213",
        "calendar file error",
        "A `calendar/<year>.yaml` file (a year's 节假日安排 carried by the office) is not valid.",
        "calendar/2027.yaml:5: OA213 holidays.0.to: Input should be a valid date",
    ),
    # OA3xx — references
    Code(
        "OA301",
        "unknown person",
        "A person named in a record is not in `oa.yaml`.",
        "outgoing/2026/OUT-2026-0003.yaml:6: OA301 drafter: unknown person 'wangwu'",
    ),
    Code(
        "OA302",
        "unknown department",
        "A department named in a record is not in `oa.yaml`.",
        "outgoing/2026/OUT-2026-0003.yaml:5: OA302 department: unknown department 'XXK'",
    ),
    Code(
        "OA303",
        "unknown document kind",
        "The outgoing document kind (发文机关代字) is not configured in `oa.yaml`.",
        "outgoing/2026/OUT-2026-0003.yaml:4: OA303 doc_kind: unknown 发文机关代字 '浏后勤令'",
    ),
    Code(
        "OA304",
        "missing file",
        "A body or attachment file named by the record does not exist.",
        "outgoing/2026/OUT-2026-0003.yaml:12: OA304 body: file OUT-2026-0003.files/正文.md is "
        "missing",
    ),
    Code(
        "OA305",
        "unknown linked record",
        "A record links to an ID that no record has, or to a record of the wrong kind.",
        "outgoing/2026/OUT-2026-0003.yaml:14: OA305 reply_to: no incoming record IN-2026-0099",
    ),
    # OA4xx — invariants
    Code(
        "OA401",
        "duplicate ID",
        "Two files hold the same record ID.",
        "outgoing/2026/OUT-2026-0003.yaml:2: OA401 duplicate ID (also in outgoing/2026/x.yaml)",
    ),
    Code(
        "OA402",
        "duplicate official number",
        "Two documents carry the same 发文字号 (S-DOC-OUT-2).",
        "outgoing/2026/OUT-2026-0009.yaml:11: OA402 浏后勤发〔2026〕7号 is also on OUT-2026-0004",
    ),
    Code(
        "OA403",
        "gap in official numbers",
        "Sequence numbers per document kind and year must run 1, 2, 3 … without a gap "
        "(S-DOC-OUT-2).",
        "outgoing/2026/OUT-2026-0009.yaml:11: OA403 浏后勤发〔2026〕: number 5 is missing "
        "(found 4 then 6)",
    ),
    Code(
        "OA404",
        "state does not match history",
        "`state` must equal the `to` of the last history entry.",
        "outgoing/2026/OUT-2026-0003.yaml:15: OA404 state is 'review' but history ends in 'draft'",
    ),
    Code(
        "OA405",
        "actor without the role",
        "A history entry was taken by someone who does not hold the role the workflow requires.",
        "outgoing/2026/OUT-2026-0003.yaml:22: OA405 history[2] 'sign' by liming needs role 主管领导",
    ),
    Code(
        "OA406",
        "step not allowed by the workflow",
        "A history entry is an action the workflow does not allow from the state before it.",
        "outgoing/2026/OUT-2026-0003.yaml:22: OA406 history[2]: 'number' is not allowed in state "
        "'review'",
    ),
    Code(
        "OA407",
        "official number out of place",
        "A document has a 发文字号 without a numbering step (or before sign-off), or was numbered "
        "but carries none (S-DOC-OUT-2).",
        "outgoing/2026/OUT-2026-0003.yaml:11: OA407 doc_number set but the document was never "
        "numbered",
    ),
    Code(
        "OA408",
        "history out of time order",
        "History entries must be in time order.",
        "outgoing/2026/OUT-2026-0003.yaml:25: OA408 history[3] is earlier than history[2]",
    ),
    Code(
        "OA409",
        "required field missing",
        "A field the workflow requires at this point is empty.",
        "outgoing/2026/OUT-2026-0003.yaml:30: OA409 history[7] 'print' requires copies",
    ),
    Code(
        "OA410",
        "guard not satisfied",
        "A step was taken although its precondition did not hold (for example, signing before all "
        "requested countersignatures).",
        "outgoing/2026/OUT-2026-0003.yaml:22: OA410 history[4] 'sign': 会签未完成: 王磊",
    ),
    Code(
        "OA411",
        "archived record changed",
        "A record was edited after it was filed (归档): its content no longer matches the "
        "fingerprint taken at filing, or its 档号 differs from the one given.",
        "outgoing/2026/OUT-2026-0003.yaml:40: OA411 archived as 0194-WS·2026-D30-BGS-0003 but "
        "changed since it was filed",
    ),
    Code(
        "OA412",
        "archive item numbers",
        "件号 within one year, retention period and department must run 1, 2, 3 … without a gap "
        "or a duplicate (DA/T 22-2015).",
        "incoming/2026/IN-2026-0007.yaml:52: OA412 件号 3 of 2026-D30-BGS is also on OUT-2026-0004",
    ),
    Code(
        "OA413",
        "classified content in the repository",
        "A document marked 秘密, 机密 or 绝密 may be registered, but its body and attachments must "
        "not be kept in the repository.",
        "incoming/2026/IN-2026-0004.yaml:12: OA413 a 机密 document may not keep its body in the "
        "repository",
    ),
    Code(
        "OA414",
        "approved content changed",
        "An approval (签发, 会签, 批办 …) stores a hash of what it approved: the fields its workflow "
        "action `pins`, and for the body and attachments the files themselves. The record has "
        "changed since; it must be approved again (send it back and through the step once more).",
        "outgoing/2026/OUT-2026-0003.yaml:41: OA414 history[6] 'issue' by chenguohua approved "
        "content that has changed since (title, body): approve it again",
    ),
    # OA5xx — audit (git history)
    Code(
        "OA501",
        "history rewritten",
        "A history entry was changed or removed after it was committed (history is append-only).",
        "outgoing/2026/OUT-2026-0003.yaml: OA501 commit 1a2b3c4: history[1] changed after it was "
        "committed in 9f8e7d6",
    ),
    Code(
        "OA502",
        "state changed without history",
        "A commit changed a record's `state` without appending a history entry.",
        "outgoing/2026/OUT-2026-0003.yaml: OA502 commit 1a2b3c4: state review -> leader_sign with "
        "no history entry",
    ),
    Code(
        "OA503",
        "entry not committed by its actor",
        "A history entry was committed by someone other than the person it names, without an "
        "`OA-On-Behalf:` trailer from an authorised clerk.",
        "outgoing/2026/OUT-2026-0003.yaml: OA503 commit 1a2b3c4: history[2] names liuhong but was "
        "committed by zhangmin@example.org",
    ),
    Code(
        "OA506",
        "actor without the role at the time",
        "A history entry was taken by someone who did not hold the role the workflow named, by "
        "oa.yaml and the workflow as they stood in the commit that recorded it (roles are "
        "versioned with oa.yaml in git).",
        "outgoing/2026/OUT-2026-0003.yaml: OA506 commit 1a2b3c4: history[4] 'sign' by "
        "wangfang, who did not hold 主管领导 in oa.yaml as it stood then",
    ),
    Code(
        "OA507",
        "signed approval not signed",
        "The workflow marks this action `signed`: the commit that records it must carry a good git "
        "signature (SSH) made with a key that oa.yaml lists under the actor's `signing_keys`.",
        "outgoing/2026/OUT-2026-0003.yaml: OA507 commit 1a2b3c4: history[6] 'issue' by "
        "chenguohua is a signed approval, but the commit is not signed with a key oa.yaml lists "
        "for chenguohua",
    ),
    Code(
        "OA504",
        "record deleted",
        "A commit deleted a record file; records are never deleted, only archived.",
        "outgoing/2026/OUT-2026-0003.yaml: OA504 commit 1a2b3c4 deleted the record",
    ),
    Code(
        "OA505",
        "unreadable version",
        "A committed version of a record could not be parsed, so its history cannot be checked.",
        "outgoing/2026/OUT-2026-0003.yaml: OA505 commit 1a2b3c4: version is not valid YAML",
    ),
    # OA6xx — commands refused
    Code("OA601", "no such record", "No record has that ID.", "oa: OA601 no record OUT-2026-0999"),
    Code(
        "OA602",
        "action not available",
        "The workflow does not allow that action in the record's current state.",
        "outgoing/2026/OUT-2026-0003.yaml: OA602 'number' is not allowed in state 'review' "
        "(allowed: review, return)",
    ),
    Code(
        "OA603",
        "not permitted",
        "The acting person does not hold the role the workflow requires for that action.",
        "outgoing/2026/OUT-2026-0003.yaml: OA603 张敏 (zhangmin) may not 'sign': needs role 主管领导",
    ),
    Code(
        "OA604",
        "unknown identity",
        "The acting person could not be found in `oa.yaml` (from --as, OA_USER or git user.email).",
        "oa: OA604 no person in oa.yaml matches 'nobody@example.org'",
    ),
    Code(
        "OA605",
        "invalid ID argument",
        "The ID given on the command line is not of the form `PREFIX-YYYY-NNNN`.",
        "oa: OA605 '../x' is not a record ID",
    ),
    Code(
        "OA606",
        "missing input",
        "The action needs input that was not given (an opinion, a field).",
        "outgoing/2026/OUT-2026-0003.yaml: OA606 'return' needs --opinion",
    ),
    Code(
        "OA607",
        "precondition failed",
        "The action's precondition does not hold (for example, countersignatures still missing).",
        "outgoing/2026/OUT-2026-0003.yaml: OA607 'sign' refused: 会签未完成: 王磊",
    ),
    Code(
        "OA608",
        "record is invalid",
        "The command would leave the record invalid, or the record already is; fix it first.",
        "outgoing/2026/OUT-2026-0003.yaml:9: OA608 urgency: Input should be '特急' or '加急'",
    ),
    Code(
        "OA610",
        "merge conflict",
        "Two branches changed the same field of a record differently, or one of them changed "
        "history entries both had (history is append-only), so `oa resolve` and the merge driver "
        "cannot choose. Edit the file, keep every history entry of both sides in time order, then "
        "`git add` it. (The merge driver exits 1 with this code and leaves git's conflict "
        "markers.)",
        "outgoing/2026/OUT-2026-0019.yaml: OA610 merge conflict: title changed on both sides "
        '("关于A的通知" / "关于B的通知"); edit the file, keeping every history entry of both '
        "sides, then git add it",
    ),
    Code(
        "OA611",
        "merged history breaks the workflow",
        "Both branches' history entries, merged in time order, do not pass the checks of "
        "`oa validate` (most often the workflow replay: both branches numbered the document, or "
        "one returned it while the other signed it). Nothing was written. Abort the merge, drop "
        "the step from one branch before it is shared, and merge again.",
        "outgoing/2026/OUT-2026-0019.yaml:40: OA406 history[7]: 'number' is not allowed in state "
        "'proof'\noutgoing/2026/OUT-2026-0019.yaml: OA611 the merged history breaks the workflow "
        "(1 finding(s) above): the branches took steps that cannot both stand. Abort the merge "
        "(git merge --abort), drop the step from one branch before it is shared, and merge again",
    ),
    Code(
        "OA612",
        "not in a merge conflict",
        "`oa resolve ID` rebuilds a record that `git merge` left in conflict (git holds its "
        "base, ours and theirs); this record has no conflict to resolve.",
        "outgoing/2026/OUT-2026-0019.yaml: OA612 OUT-2026-0019 is not in a merge conflict "
        "(nothing to resolve)",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


def register_codes(*codes: Code) -> None:
    """A kind declares the codes of its own checks and refusals here, so adding a kind touches no
    core file. A code is registered once; registering it again with another meaning is a bug."""
    for c in codes:
        known = CODES.get(c.code)
        if known is not None and known != c:
            raise ValueError(f"code {c.code} is already registered as {known.title!r}")
        if known is None:
            _CODES.append(c)
            CODES[c.code] = c


def describe(code: str) -> Code:
    return CODES[code]


_RANGES = [
    ("OA0", "Usage and environment", "exit 2"),
    ("OA1", "Syntax", "`oa validate`: exit 1"),
    ("OA2", "Schema, layout and configuration", "`oa validate`: exit 1; other commands: exit 2"),
    ("OA3", "References", "`oa validate`: exit 1"),
    ("OA4", "Invariants", "`oa validate`: exit 1"),
    ("OA5", "Audit (git history)", "`oa audit`: exit 1"),
    ("OA6", "Commands refused", "exit 2; nothing is written"),
]


def errors_markdown() -> str:
    """docs/errors.md, generated from the table above and the codes every kind registers
    (tools/gen_errors_md.py writes it)."""
    from oa.core.registry import kinds

    kinds()
    lines = [
        "# Error and finding codes",
        "",
        "Every message `oa` prints for bad input or a broken rule has a stable code. Findings read",
        "`path:line: CODE message`; command errors read `oa: CODE message` (or `path: CODE …`).",
        "`--json` on `oa validate` and `oa audit` gives the same findings as objects.",
        "Exit status: 0 clean, 1 findings, 2 usage or environment error, 3 internal error (OA099).",
        "",
        "This page is generated from `oa/core/codes.py` and the codes each kind in `oa/kinds/`",
        "registers, by `python tools/gen_errors_md.py`.",
        "",
    ]
    for prefix, title, exit_note in _RANGES:
        lines += [f"## {prefix}xx — {title}", "", f"_{exit_note}_", ""]
        for c in sorted(_CODES, key=lambda c: c.code):  # not by registration: import order varies
            if c.code.startswith(prefix):
                lines += [
                    f"### {c.code} {c.title}",
                    "",
                    c.explain,
                    "",
                    "```",
                    c.example,
                    "```",
                    "",
                ]
    return "\n".join(lines)
