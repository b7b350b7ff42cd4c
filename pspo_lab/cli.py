"""The ``pspo-lab`` command.

``pspo-lab datasets write [--seed N] [--out DIR]``  regenerate the case-study CSV files
``pspo-lab datasets dictionary``                   print the data dictionary (Markdown)

Errors print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import casestudy
from .datasets import data_dictionary, datasets_dir, write_datasets
from .errors import PspoLabError


def _datasets(args: argparse.Namespace) -> int:
    if args.action == "write":
        for path in write_datasets(args.out or datasets_dir(), seed=args.seed):
            print(path)
    else:
        print(data_dictionary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``pspo-lab`` (sub-commands register here)."""
    parser = argparse.ArgumentParser(prog="pspo-lab", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("datasets", help="regenerate or describe the case-study data")
    data.add_argument("action", choices=["write", "dictionary"])
    data.add_argument("--seed", type=int, default=casestudy.CASE_STUDY_SEED)
    data.add_argument("--out", help="folder to write to (default: datasets/)")
    data.set_defaults(handler=_datasets)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except PspoLabError as error:
        print(f"pspo-lab: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
