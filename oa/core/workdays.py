"""Workdays: statutory holidays and 调休 make-up workdays from the chinese-calendar package.

chinese-calendar knows only the years the State Council has announced. An office can carry the next
year's announcement itself, as `calendar/<year>.yaml` in the records repository, before the package
catches up; for a year neither knows, Monday to Friday are counted and a warning (OA008) says so —
never a crash.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oa.core import yamlio
from oa.core.errors import Finding, OAError, schema_error

CALENDAR_DIR = "calendar"
#: chinese-calendar's English holiday names, as the State Council's notices name them
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利80周年纪念日",
}


class HolidaySpan(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: str = Field(description="节日名称, e.g. 春节")
    from_: date = Field(alias="from")
    to: date


class YearCalendar(BaseModel):
    """One year's 节假日安排, copied from the State Council's notice."""

    model_config = ConfigDict(extra="forbid")
    year: int
    source: str = Field(description="the notice it copies, e.g. 国办发明电〔2026〕7号")
    holidays: list[HolidaySpan]
    workdays: list[date] = Field(default_factory=list, description="调休上班的周末")

    @model_validator(mode="after")
    def _dates_in_year(self) -> YearCalendar:
        for span in self.holidays:
            if span.to < span.from_:
                raise ValueError(f"{span.name}: 'to' is before 'from'")
        return self


class WorkCalendar:
    def __init__(self, root: Path | None = None) -> None:
        self.holidays: dict[date, str] = {}
        self.workdays: set[date] = set()
        self.local_years: set[int] = set()
        #: years asked about that no source knows (Mon–Fri was assumed)
        self.guessed: set[int] = set()
        if root is not None:
            for path in sorted((root / CALENDAR_DIR).glob("*.yaml")):
                self._load(root, path)

    def _load(self, root: Path, path: Path) -> None:
        rel = path.relative_to(root).as_posix()
        try:
            data = yamlio.load_mapping(path.read_bytes(), rel)
            cal = YearCalendar.model_validate(data)
        except yamlio.YamlProblem as exc:
            raise OAError("OA213", exc.finding.message, path=rel, line=exc.finding.line) from None
        except ValidationError as exc:
            text = path.read_text(encoding="utf-8")
            raise schema_error(exc, "OA213", rel, text) from None
        self.local_years.add(cal.year)
        for span in cal.holidays:
            day = span.from_
            while day <= span.to:
                self.holidays[day] = span.name
                day += timedelta(days=1)
        self.workdays.update(cal.workdays)

    def is_workday(self, day: date) -> bool:
        if day.year in self.local_years:
            if day in self.workdays:
                return True
            return day not in self.holidays and day.weekday() < 5
        import chinese_calendar

        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            self.guessed.add(day.year)
            return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The statutory holiday `day` belongs to (春节, 国庆节 …), or None: from the year's local
        file when there is one, else from chinese-calendar."""
        if day.year in self.local_years:
            return self.holidays.get(day)
        import chinese_calendar

        try:
            off, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            self.guessed.add(day.year)
            return None
        # a 调休 workday carries its holiday's name too, but is worked
        return HOLIDAY_NAMES.get(str(name), str(name)) if off and name else None

    def holidays_of(self, year: int) -> list[tuple[date, str]]:
        """Every statutory holiday day of `year`, in order, with its holiday's name."""
        day, out = date(year, 1, 1), []
        while day.year == year:
            name = self.holiday_name(day)
            if name:
                out.append((day, name))
            day += timedelta(days=1)
        return out

    def last_workday_on_or_before(self, day: date) -> date:
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def add_workdays(self, start: date, count: int) -> date:
        """The day `count` workdays after `start` (start itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Workdays after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def warnings(self) -> list[Finding]:
        return [
            Finding(
                f"{CALENDAR_DIR}/{year}.yaml",
                0,
                "OA008",
                f"{year} is not in chinese-calendar nor in {CALENDAR_DIR}/{year}.yaml: "
                "counting Monday to Friday as workdays",
                severity="warning",
            )
            for year in sorted(self.guessed)
        ]
