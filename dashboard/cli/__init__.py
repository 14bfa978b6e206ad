"""``python -m dashboard <command>``: every command is a module here with ``add_parser(subparsers)``.

``add_parser`` registers its sub-parser and sets ``func`` (args -> exit status). Bad arguments exit
with status 2 and a one-line message.
"""
from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "COMMANDS"]

COMMANDS = ("run", "demo_db", "kpis", "users", "warm", "displays", "db", "odoo_check")


class OneLineErrors(argparse.ArgumentParser):
    """Bad arguments give exactly one line on stderr (``<prog>: error: ...``) and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrors(prog="python -m dashboard", description="Odoo operations dashboards")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=OneLineErrors)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"dashboard.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"dashboard.cli.{name}":
                raise
            continue  # a command whose module is not there yet
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
