"""Candidate bulk YAML loaders on a generated office's records: speed per file, and whether each
reads every file exactly as ruamel.yaml (which writes the records) does.

    python bench/loaders.py [bench/out/office-10000] [--files 3000]

Candidates that are not installed are reported as such (rapidyaml: `pip install rapidyaml`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _candidates() -> dict[str, Callable[[bytes], Any] | str]:
    out: dict[str, Callable[[bytes], Any] | str] = {}
    from ruamel.yaml import YAML

    safe = YAML(typ="safe", pure=False)
    out["ruamel.yaml safe (C)"] = safe.load
    import yaml

    out["PyYAML CSafeLoader (YAML 1.1)"] = lambda raw: yaml.load(raw, Loader=yaml.CSafeLoader)
    from oa.core import fastyaml

    out["oa libyaml path (CSafeLoader + 1.2 resolvers)"] = lambda raw: yaml.load(
        raw, Loader=fastyaml.Loader12
    )
    try:
        import yaml_rs

        out["yaml-rs"] = lambda raw: yaml_rs.loads(raw.decode("utf-8"))
    except ImportError:
        out["yaml-rs"] = "not installed"
    out["oa bulk loader (yaml-rs, libyaml fallback)"] = fastyaml.load
    try:
        import ryml

        # rapidyaml builds a C++ tree; turning it into Python objects is left to the caller,
        # so this times the parse alone (a lower bound, not a usable loader)
        out["rapidyaml (parse only, no Python objects)"] = lambda raw: ryml.parse_in_arena(raw)
    except ImportError:
        out["rapidyaml (parse only, no Python objects)"] = "not installed"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("office", nargs="?", default=str(ROOT / "bench/out/office-10000"))
    parser.add_argument("--files", type=int, default=3000)
    args = parser.parse_args()
    paths = sorted(Path(args.office).glob("*/*/*.yaml"))[: args.files]
    if not paths:
        sys.exit(f"no records under {args.office}: run python bench/generate.py first")
    raws = [p.read_bytes() for p in paths]
    from ruamel.yaml import YAML

    reference = [YAML(typ="safe", pure=False).load(raw) for raw in raws]
    print(f"{len(raws)} records from {args.office}\n")
    print("| loader | µs per file (median of 3) | same result as ruamel.yaml |")
    print("|---|--:|---|")
    for name, load in _candidates().items():
        if isinstance(load, str):
            print(f"| {name} | — | {load} |")
            continue
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            results = [load(raw) for raw in raws]
            runs.append((time.perf_counter() - start) / len(raws) * 1e6)
        same = "—" if "parse only" in name else _agreement(results, reference)
        print(f"| {name} | {statistics.median(runs):.0f} | {same} |")


def _agreement(results: list[Any], reference: list[Any]) -> str:
    differ = sum(1 for a, b in zip(results, reference, strict=True) if a != b)
    return "every file" if not differ else f"{differ} files differ"


if __name__ == "__main__":
    main()
