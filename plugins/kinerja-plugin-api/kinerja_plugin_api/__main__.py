"""Vendor tools that need no platform:

    python -m kinerja_plugin_api new tpp-example [--directory .]   a plugin distribution from the template
    python -m kinerja_plugin_api check kinerja_tpp_example         the conformance check of an importable module
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from kinerja_plugin_api.conformance import check_plugin
from kinerja_plugin_api.scaffold import create_plugin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kinerja_plugin_api")
    commands = parser.add_subparsers(dest="action", required=True)
    new = commands.add_parser("new", help="create a plugin distribution from the template")
    new.add_argument("name")
    new.add_argument("--directory", default=".")
    check = commands.add_parser("check", help="run the conformance check on an importable plugin module")
    check.add_argument("module")
    args = parser.parse_args(argv)
    if args.action == "new":
        try:
            created = create_plugin(args.name, Path(args.directory))
        except (ValueError, FileExistsError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"created {created.directory} (module {created.module}); next: pip install -e \"{created.directory}[test]\" "
              f"(install it first), then pytest there and python -m kinerja_plugin_api check {created.module}")
        return 0
    try:
        module = importlib.import_module(args.module.replace("-", "_"))
    except ImportError as error:
        print(f"error: cannot import {args.module}: {error}", file=sys.stderr)
        return 2
    report = check_plugin(module)
    for problem in report.problems:
        print(f"problem: {problem}")
    print("conforms" if not report.problems else f"{len(report.problems)} problem(s)")
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
