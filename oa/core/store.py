"""The records repository on disk: where it is, which files are records, and loading them.

Layout: `<kind>/<year>/<ID>.yaml`, with a record's body and attachments in `<ID>.files/` beside it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from stat import S_ISREG
from typing import Any

from pydantic import ValidationError

from oa.core import gitops, yamlio
from oa.core.config import Office, load_office
from oa.core.errors import Finding, OAError, schema_error
from oa.core.folders import Folders
from oa.core.index import GIT_LISTING_FILE, FileKey, Index, file_key, no_gc, write_atomic
from oa.core.locate import CONFIG_FILE, ID_RE
from oa.core.record import Record
from oa.core.registry import (
    Kind,
    effects_of,
    imported_kinds,
    kind_by_prefix,
    kind_named,
    kinds,
)
from oa.core.workdays import WorkCalendar
from oa.core.workflow import Refusals, Workflow, load_workflow

MODELINE = "# yaml-language-server: $schema=../../schema/{kind}.schema.json"


def parse_id(rid: str) -> tuple[Kind, int]:
    m = ID_RE.match(rid)
    if not m:
        raise OAError("OA605", f"{rid!r} is not a record ID (PREFIX-YYYY-NNNN)")
    kind = kind_by_prefix(m["prefix"])
    if kind is None:
        raise OAError("OA605", f"{rid!r}: no record kind uses prefix {m['prefix']}")
    return kind, int(m["year"])


def _imported_kind(prefix: str) -> Kind | None:
    """The kind of an ID prefix among the kinds imported so far."""
    return next((k for k in imported_kinds().values() if k.prefix == prefix), None)


@dataclass
class Loaded:
    """One record file after loading: its data and model when valid, its findings when not."""

    path: str
    data: dict[str, Any] | None = None
    record: Record | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def rid(self) -> str | None:
        if self.data is not None and isinstance(self.data.get("id"), str):
            return str(self.data["id"])
        return None


#: this many files' facts read again (or gone), and Store.facts keeps what it found
FACTS_KEPT_FROM = 64


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._workflows: dict[str, Workflow] = {}
        self._settings: dict[str, Any] = {}
        #: while checking one record for the index: files whose existence the checks consulted
        self.deps: dict[str, bool] | None = None
        #: workflow refusals that depend on the office alone (see workflow.refusal)
        self.refusals: Refusals = {}

    @cached_property
    def office(self) -> Office:
        return load_office(self.root)

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.root)

    def kinds(self) -> dict[str, Kind]:
        return kinds()

    def workflow(self, kind: str) -> Workflow:
        if kind not in self._workflows:
            k = kind_named(kind)
            if k is None:
                raise KeyError(kind)
            self._workflows[kind] = load_workflow(
                self.root,
                kind,
                self.office,
                k.guards,
                effects_of(k),
                k.model.model_fields,
            )
        return self._workflows[kind]

    def kind_settings(self, kind: str) -> Any:
        if kind not in self._settings:
            self._settings[kind] = self._load_settings(kind)
        return self._settings[kind]

    def _load_settings(self, kind: str) -> Any:
        k = kinds()[kind]
        raw = self.office.kinds.get(kind, {})
        if k.settings is None:
            return raw
        try:
            return k.settings.model_validate(raw)
        except ValidationError as exc:
            text = (self.root / CONFIG_FILE).read_text(encoding="utf-8")
            raise schema_error(exc, "OA210", CONFIG_FILE, text, ["kinds", kind]) from None

    @cached_property
    def index(self) -> Index:
        """The `.oa/` index, brought up to date with the files on disk (once per process)."""
        from oa.core.indexer import refresh

        return refresh(self)

    def exists(self, path: Path) -> bool:
        """Whether a file exists — noted as a dependency of the record being indexed."""
        found = path.is_file()
        if self.deps is not None:
            self._note_exists(self.rel(path), found)
        return found

    def _note_exists(self, rel: str, found: bool) -> None:
        assert self.deps is not None
        if not isinstance(self.deps.get(rel), list):  # a content dependency says more
            self.deps[rel] = found

    def file_content(self, path: Path) -> bytes:
        """A file's bytes (b"" when missing) — its key noted as a dependency like `exists`."""
        try:
            data = path.read_bytes()
            key: Any = list(file_key(path.stat()))
        except OSError:
            data, key = b"", False
        if self.deps is not None:
            self.deps[self.rel(path)] = key
        return data

    def rel_for(self, rid: str) -> str:
        """`path_for(rid)` relative to the root, made as text: checking a record asks it for
        every record the record names and for its files (100,000 times when indexing)."""
        m = ID_RE.match(rid)
        kind = _imported_kind(m["prefix"]) if m else None
        if m and kind is not None:
            return f"{kind.name}/{m['year']}/{rid}.yaml"
        return self.rel(self.path_for(rid))

    def exists_rel(self, rel: str) -> bool:
        """`exists` of a path relative to the root."""
        found = os.path.isfile(f"{self.root}{os.sep}{rel}")
        if self.deps is not None:
            self._note_exists(rel, found)
        return found

    def has_files(self, folder: Path) -> bool:
        """Whether a folder holds anything — noted as a dependency like `exists`."""
        found = folder.is_dir() and any(folder.iterdir())
        if self.deps is not None:
            self.deps[self.rel(folder) + "/"] = found
        return found

    # -- paths -----------------------------------------------------------------------------

    def rel(self, path: Path) -> str:
        text = str(path)
        inside = str(self.root) + os.sep
        if text.startswith(inside) and os.sep + ".." not in text:  # built from the root: cut
            return text[len(inside) :].replace(os.sep, "/")
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def path_for(self, rid: str) -> Path:
        m = ID_RE.match(rid)
        if m:
            prefix, year = m["prefix"], m["year"]
            known = _imported_kind(prefix)
            if known is not None:
                return self.root.joinpath(known.name, year, f"{rid}.yaml")  # one parse, not 3
            # the folder that holds it names its kind: only that kind's module is imported
            for folder in self._folders:
                path = self.root / folder / year / f"{rid}.yaml"
                if path.is_file():
                    kind = kind_named(folder)
                    if kind is not None and kind.prefix == prefix:
                        return path
        kind, year_number = parse_id(rid)
        return self.root / kind.name / str(year_number) / f"{rid}.yaml"

    @cached_property
    def _folders(self) -> list[str]:
        with os.scandir(self.root) as top:
            return sorted(e.name for e in top if e.is_dir() and not e.name.startswith("."))

    def files_dir(self, rid: str) -> Path:
        return self.path_for(rid).with_suffix(".files")

    @cached_property
    def strays(self) -> list[Path]:
        """`stray_files`, listed once per Store (the report digest and the findings need them)."""
        return list(self.stray_files())

    def stray_files(self) -> Iterator[Path]:
        """Entries in kind/year folders that are neither records nor a record's `.files` folder
        (read from the folders' listings alone: no stat per file)."""
        for name in sorted(kinds()):
            base = self.root / name
            if not base.is_dir():
                continue
            with os.scandir(base) as years:
                listing = sorted((e.name, e.is_dir()) for e in years)
            for year, is_dir in listing:
                if not is_dir or not year.isdigit():  # records live only in year folders
                    yield base / year
                    continue
                found = self._folder_listings.listing(f"{name}/{year}")
                if found is None:
                    continue
                files, dirs = found
                records = {f for f in files if f.endswith(".yaml")}
                strays = [
                    *(f for f in files if not f.endswith(".yaml")),
                    *(
                        d
                        for d in dirs
                        if not (d.endswith(".files") and d[:-6] + ".yaml" in records)
                    ),
                ]
                for entry in sorted(strays):
                    if entry.startswith(".") and entry.endswith(".tmp"):
                        continue  # another oa process's write in flight
                    yield base / year / entry
        self._folder_listings.save()

    @cached_property
    def _folder_listings(self) -> Folders:
        return Folders(self.root)

    def record_names(self) -> list[str]:
        """The path of every `*.yaml` file in a year folder, relative to the root, from the
        folders' listings (kept in `.oa/` while a folder is unchanged, see oa.core.folders)."""
        root = str(self.root)
        with os.scandir(root) as top:
            dirs = sorted(e.name for e in top if e.is_dir() and not e.name.startswith("."))
        listings = self._folder_listings
        names: list[str] = []
        for name in dirs:
            with os.scandir(os.path.join(root, name)) as years:
                year_dirs = sorted(e.name for e in years if e.is_dir() and e.name.isdigit())
            for year in year_dirs:
                found = listings.listing(f"{name}/{year}")
                if found is not None:
                    folder = f"{name}/{year}/"
                    names.extend(folder + n for n in found[0] if n.endswith(".yaml"))
        listings.save(everything_asked=True)
        return names

    @cached_property
    def clean_blobs(self) -> dict[str, str]:
        """Tracked files whose copy is git's, with their blob ids (see gitops.clean_blobs)."""
        return self.clean_listing.blobs

    @cached_property
    def clean_listing(self) -> gitops.Clean:
        return gitops.clean_listing(self.root, self.root / GIT_LISTING_FILE)

    def listed(self) -> tuple[gitops.Clean, Path] | None:
        """What git listed of its index in this command, if it did, and where the listing is
        kept: a commit carries it over (see gitops.commit)."""
        clean = self.__dict__.get("clean_listing")
        return (clean, self.root / GIT_LISTING_FILE) if clean is not None else None

    @cached_property
    def scan(self) -> list[tuple[str, FileKey]]:
        """Every record file and its key, taken once per Store: the index and the validation
        report both need them. A file git tracks, unchanged, is keyed by its blob id, which git
        lists for 100,000 files in a tenth of a second (a stat each took half a second); any other
        by (size, mtime, ctime, inode). Like `index`, it is not refreshed by later writes."""
        with ThreadPoolExecutor(1) as pool:  # git answers while the folders are listed
            asked = pool.submit(lambda: self.clean_blobs)
            names = self.record_names()
            clean = asked.result()
        root = str(self.root) + os.sep
        found: list[tuple[str, FileKey]] = []
        for rel in names:
            key: FileKey | None = clean.get(rel)
            if key is None:
                try:
                    st = os.stat(root + rel)
                except OSError:
                    continue
                if not S_ISREG(st.st_mode):
                    continue
                key = file_key(st)
            found.append((rel, key))
        return found

    def facts(
        self, name: str, extract: Callable[[bytes], Any], folders: Sequence[str] = ()
    ) -> dict[str, Any]:
        """What `extract` takes from the bytes of every record file (under `folders`, when
        given), kept in `.oa/facts-<name>.marshal` under each file's key: a file is read again
        only when its key changed. The files are scanned afresh (numbering asks this inside
        the write lock: another writer's number must be seen). `name` carries the extractor's
        version."""
        for taken in ("scan", "clean_blobs", "clean_listing"):
            self.__dict__.pop(taken, None)
        path = self.root / ".oa" / f"facts-{name}.marshal"
        with no_gc():
            try:
                saved = marshal.loads(path.read_bytes())
                known: dict[str, tuple[Any, Any]] = saved if isinstance(saved, dict) else {}
            except Exception:  # missing, damaged or from another Python: read the files
                known = {}
            wanted = tuple(f.rstrip("/") + "/" for f in folders)
            values: dict[str, Any] = {}
            fresh: dict[str, tuple[Any, Any]] = {}
            for rel, key in self.scan:
                if wanted and not rel.startswith(wanted):
                    continue
                old = known.get(rel)
                if old is not None and old[0] == key:
                    values[rel] = old[1]
                    continue
                try:
                    raw = (self.root / rel).read_bytes()
                except OSError:
                    continue
                fresh[rel] = (key, extract(raw))
                values[rel] = fresh[rel][1]
            gone = len(known) - (len(values) - len(fresh))
            if (fresh and not known) or len(fresh) >= FACTS_KEPT_FROM or gone >= FACTS_KEPT_FROM:
                # a few files read again cost less than writing every file's facts again (each
                # step changes one file); the kept file is never wrong, only older
                kept = {rel: fresh.get(rel) or known[rel] for rel in values}
                with contextlib.suppress(OSError):  # a read-only checkout reads them next time
                    path.parent.mkdir(exist_ok=True)
                    write_atomic(path, marshal.dumps(kept))
        return values

    def ids(self, kind: str, year: int) -> list[str]:
        folder = self.root / kind / str(year)
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.yaml") if ID_RE.match(p.stem))

    def next_id(self, kind: Kind, year: int) -> str:
        taken = [
            int(i.split("-")[2]) for i in self.ids(kind.name, year) if i.startswith(kind.prefix)
        ]
        return f"{kind.prefix}-{year}-{max(taken, default=0) + 1:04d}"

    # -- loading ---------------------------------------------------------------------------

    def load_path(self, path: Path) -> Loaded:
        rel = self.rel(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return Loaded(rel, findings=[Finding(rel, 1, "OA101", f"cannot read file: {exc}")])
        return self.load_bytes(rel, raw)

    def load_bytes(self, rel: str, raw: bytes) -> Loaded:
        try:
            data = yamlio.load_mapping(raw, rel)
        except yamlio.YamlProblem as exc:
            return Loaded(rel, findings=[exc.finding])
        loaded = Loaded(rel, data=data)
        kind_name = data.get("kind")
        parts = rel.split("/")
        folder_kind = parts[0] if len(parts) == 3 else None
        kind = kind_named(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            shown = kind_name if kind_name is not None else folder_kind
            loaded.findings.append(
                self._finding(rel, raw, ["kind"], "OA202", f"unknown record kind {shown!r}")
            )
            return loaded
        try:
            loaded.record = kind.model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors()[:10]:
                loc = [p for p in err["loc"] if isinstance(p, str | int)]
                where = ".".join(str(p) for p in loc)
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    msg = "unknown field"
                elif err["type"] == "missing":
                    msg = "required field is missing"
                loaded.findings.append(
                    self._finding(rel, raw, loc, "OA201", f"{where}: {msg}" if where else msg)
                )
            return loaded
        rid = loaded.record.id
        name = rel.rpartition("/")[2]
        stem = name[: name.rindex(".")] if "." in name[1:] else name  # Path(rel).stem, by hand
        if stem != rid:
            loaded.findings.append(
                self._finding(
                    rel, raw, ["id"], "OA203", f"id {rid} does not match the file name {stem}.yaml"
                )
            )
        m = ID_RE.match(rid)
        if m and m["prefix"] != kind.prefix:
            loaded.findings.append(
                self._finding(
                    rel,
                    raw,
                    ["id"],
                    "OA205",
                    f"{rid!r} is not an ID of the form {kind.prefix}-YYYY-NNNN",
                )
            )
        elif m:
            expected = f"{kind.name}/{m['year']}"
            if "/".join(parts[:-1]) != expected:
                loaded.findings.append(
                    self._finding(rel, raw, ["id"], "OA204", f"{rid} belongs in {expected}/")
                )
        return loaded

    def _finding(
        self, rel: str, raw: bytes, loc: list[str | int], code: str, message: str
    ) -> Finding:
        return Finding(rel, yamlio.line_of(raw.decode("utf-8"), loc), code, message)

    def line(self, rel: str, loc: list[str | int]) -> int:
        try:
            text = (self.root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return 1
        return yamlio.line_of(text, loc)

    def get(self, rid: str) -> Loaded:
        path = self.path_for(rid)
        if not path.is_file():
            raise OAError("OA601", f"no record {rid}")
        return self.load_path(path)

    def get_valid(self, rid: str) -> Loaded:
        """The record, refusing (OA608) one that does not load cleanly."""
        from oa.core.errors import FindingsError

        loaded = self.get(rid)
        if loaded.findings or loaded.record is None:
            raise FindingsError(loaded.findings, why="the record does not load cleanly")
        return loaded
