"""The drafter's Markdown body read as the blocks of an official paper (GB/T 9704-2012 7.3.3).

Drafters write plain Markdown; the paper needs the national 结构层次序数 一、（一）1.（1）. Headings
`#`…`####` map onto those four levels and are numbered here, per parent, so nobody types (or
mis-types) a sequence number; list items become numbered paragraphs one level below the heading
they stand under. Pure functions over text: no files, no docx, so the rules are easy to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

#: the four levels of GB/T 9704-2012 7.3.3; deeper Markdown headings and lists stay at the fourth
LEVELS = 4
#: the labels of the 纪要 attendance lines (GB/T 9704-2012 10.3), in the order they are printed
ATTENDANCE_LABELS = ("出席", "请假", "列席")

BlockKind = Literal["heading", "item", "paragraph"]

_DIGITS = "零一二三四五六七八九"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+]\s+|\d{1,3}[.)、．]\s*(?=\S)(?!\d))(.*)$")
_ATTEND = re.compile(r"^(出席|请假|列席)\s*[:：]\s*(.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTE = re.compile(r"^\s*>\s?")
#: a sequence number the drafter typed anyway, at any of the four levels
_TYPED_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|[（(]\d+[）)])\s*"
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_ORGAN_SEP = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class Span:
    """A run of text, bold where the drafter wrote **bold**."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One paragraph of the body: a numbered heading or list item, or a plain paragraph."""

    kind: BlockKind
    #: 1–4 for headings and items (一、 … （1）); 0 for a plain paragraph
    level: int
    #: the sequence number to print, e.g. "（二）"; "" for a plain paragraph
    prefix: str
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Attendance:
    """One 纪要 line: 出席, 请假 or 列席 and the people, as written."""

    label: str
    names: str


@dataclass(frozen=True)
class Body:
    """The parsed body: the 主送 line found at its top, 纪要 attendance lines, and the blocks."""

    salutation: str | None = None
    attendance: tuple[Attendance, ...] = ()
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五: the numerals of 一、 and （一）."""
    if n < 1 or n > 999:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def level_prefix(level: int, n: int) -> str:
    """The sequence number of the n-th block at a level: 一、（一）1.（1） (GB/T 9704-2012 7.3.3)."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def spans_of(text: str) -> tuple[Span, ...]:
    """Split `**bold**` out of a line; everything else is kept as typed (no other markup)."""
    out: list[Span] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append(Span(text[pos : m.start()]))
        out.append(Span(m.group(1) or m.group(2), bold=True))
        pos = m.end()
    if pos < len(text):
        out.append(Span(text[pos:]))
    return tuple(s for s in out if s.text)


def strip_typed_prefix(text: str) -> str:
    """A heading's own typed number (`# 一、总体要求`) would print twice; the paper numbers it."""
    return _TYPED_PREFIX.sub("", text, count=1)


def _join(a: str, b: str) -> str:
    """Markdown joins wrapped lines with a space; Chinese text joins without one."""
    if not a:
        return b
    if not b:
        return a
    if a[-1].isascii() and b[0].isascii():
        return f"{a} {b}"
    return a + b


def is_salutation(line: str) -> bool:
    """A 主送 line: one line ending in a colon, not a sentence (no 。；！？) and not a heading."""
    text = line.strip()
    if not text or _HEADING.match(text) or _BULLET.match(text):
        return False
    if text[-1] not in "：:":
        return False
    return not _SENTENCE_END.search(text[:-1]) and len(text) > 1


@dataclass
class _Raw:
    kind: BlockKind
    depth: int  # heading: 1–6; item: nesting depth from 0; paragraph: 0
    text: str


def _raw_blocks(lines: list[str]) -> list[_Raw]:
    """Markdown lines → headings, list items and paragraphs, wrapped lines joined."""
    out: list[_Raw] = []
    current: _Raw | None = None
    in_fence = False
    indents: list[int] = []  # leading spaces of the open list levels
    for raw in lines:
        if _FENCE.match(raw):
            in_fence = not in_fence
            current = None
            continue
        line = raw.rstrip()
        if in_fence:
            if line.strip():
                out.append(_Raw("paragraph", 0, line.strip()))
            continue
        line = _QUOTE.sub("", line)
        if not line.strip():
            current = None
            continue
        if _RULE.match(line):
            current = None
            continue
        heading = _HEADING.match(line.strip())
        if heading:
            text = strip_typed_prefix(heading.group(2).strip())
            out.append(_Raw("heading", len(heading.group(1)), text))
            current = None
            indents = []
            continue
        bullet = _BULLET.match(line)
        if bullet:
            indent = len(bullet.group(1).expandtabs(4))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            current = _Raw("item", len(indents) - 1, bullet.group(2).strip())
            out.append(current)
            continue
        if current is not None:
            current.text = _join(current.text, line.strip())
            continue
        indents = []
        current = _Raw("paragraph", 0, line.strip())
        out.append(current)
    return [b for b in out if b.text or b.kind == "heading"]


def number_blocks(raws: list[_Raw]) -> tuple[Block, ...]:
    """Give headings and items their level and sequence number, counting per parent."""
    counters = [0] * (LEVELS + 1)
    parent = 0  # level of the heading the text stands under
    blocks: list[Block] = []
    for raw in raws:
        if raw.kind == "paragraph":
            blocks.append(Block("paragraph", 0, "", spans_of(raw.text)))
            continue
        if raw.kind == "heading":
            level = min(raw.depth, LEVELS)
            parent = level
        else:
            level = min(parent + 1 + raw.depth, LEVELS)
        counters[level] += 1
        for deeper in range(level + 1, LEVELS + 1):
            counters[deeper] = 0
        prefix = level_prefix(level, counters[level])
        blocks.append(Block(raw.kind, level, prefix, spans_of(raw.text)))
    return tuple(blocks)


def parse_body(text: str, *, minutes: bool = False) -> Body:
    """Read a body: for 纪要 the 出席/请假/列席 lines at its top, then the 主送 line, then blocks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    i = 0
    attendance: list[Attendance] = []
    if minutes:
        while i < len(lines):
            line = lines[i].strip()
            m = _ATTEND.match(line)
            if m:
                attendance.append(Attendance(m.group(1), m.group(2).strip()))
            elif line:
                break
            i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    salutation = None
    if i < len(lines) and is_salutation(lines[i]):
        alone = i + 1 >= len(lines) or not lines[i + 1].strip()
        if alone:
            salutation = lines[i].strip()[:-1].strip()
            i += 1
    order = {label: n for n, label in enumerate(ATTENDANCE_LABELS)}
    attendance.sort(key=lambda a: order[a.label])
    return Body(salutation, tuple(attendance), number_blocks(_raw_blocks(lines[i:])))


def organs(text: str) -> list[str]:
    """The organ names of a 主送 or 抄送 line, separators and spaces dropped."""
    return [p for p in _ORGAN_SEP.split(text.strip().rstrip("：:。")) if p]


def addressees(main_to: list[str], body: Body) -> tuple[str | None, tuple[Block, ...]]:
    """The 主送 line (without its colon) and the blocks to print after it.

    The record's `main_to` is the registered 主送 and wins. A body that opens with the same
    organs as a salutation would print them twice, so that line is dropped; one naming other
    organs is kept as the first paragraph, visibly, rather than lost. A record without `main_to`
    takes its 主送 from the body's salutation.
    """
    if not main_to:
        return body.salutation, body.blocks
    line = "、".join(m.strip() for m in main_to if m.strip())
    if body.salutation is None or organs(body.salutation) == organs(line):
        return line, body.blocks
    kept = Block("paragraph", 0, "", (Span(body.salutation + "："),))
    return line, (kept, *body.blocks)


def text_width(text: str) -> float:
    """Width in 汉字 of a line: full-width characters count 1, ASCII (digits, Latin) ½."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)
