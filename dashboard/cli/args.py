"""Argument types shared by the sub-commands: whole numbers in a range, each refusal naming the option."""
from __future__ import annotations

import argparse
import getpass
import sys

__all__ = ["whole_number", "read_password"]


def whole_number(name: str, low: int, high: int):
    """An argparse ``type`` accepting a whole number from ``low`` to ``high``; anything else is refused with
    "<name> must be a whole number from <low> to <high>"."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = low - 1
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number from {low} to {high}: {value!r}")
        return n
    parse.__name__ = name
    return parse


def read_password(prompt: str = "Odoo password: ") -> str:
    """A password from standard input when it is not a terminal (one line), else a prompt without echo."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")
