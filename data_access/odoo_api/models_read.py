"""Which Odoo models an API twin reads, from its source: every ``reader.rows/by_ids/groups("model", ...)`` in
the function and in the functions it calls inside ``data_access.odoo_api`` (found by name in the module or
through its ``from data_access.odoo_api... import`` lines), so ``odoo-check`` says what the path really reads
rather than a hand list that drifts from it.

A reader call whose model is not a string literal is an error here (``ValueError``): its model could not be
known without running it.
"""
from __future__ import annotations

import ast
import importlib
import inspect
from functools import cache

__all__ = ["models_read", "BASE_MODELS", "READER_METHODS"]

PACKAGE = "data_access.odoo_api"
READER_METHODS = frozenset({"rows", "by_ids", "groups"})  # ``kpi_reader.ApiReader``'s reads
BASE_MODELS = ("ir.module.module",)  # ``ApiSource.info``: the installed apps, read before any twin


@cache
def _module(name: str) -> dict[str, tuple[frozenset[str], frozenset[tuple[str, str]]]]:
    """``{function: (models it reads itself, (module, function) it calls in the package)}`` of module ``name``."""
    module = importlib.import_module(name)
    tree = ast.parse(inspect.getsource(module))
    names: dict[str, tuple[str, str]] = {}  # local name -> (module, function)
    modules: dict[str, str] = {}  # local alias -> module
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            for alias in node.names:
                local = alias.asname or alias.name
                target = f"{node.module}.{alias.name}"
                try:
                    importlib.import_module(target)
                    modules[local] = target
                except ImportError:
                    names[local] = (node.module, alias.name)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        models, calls = set(), set()
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in READER_METHODS and isinstance(func.value, ast.Name) \
                    and func.value.id == "reader":
                first = call.args[0] if call.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    raise ValueError(f"{name}.{node.name}: reader.{func.attr} with a model that is not a literal")
                models.add(first.value)
            elif isinstance(func, ast.Name) and func.id in functions:
                calls.add((name, func.id))
            elif isinstance(func, ast.Name) and func.id in names:
                calls.add(names[func.id])
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
                calls.add((modules[func.value.id], func.attr))
        out[node.name] = (frozenset(models), frozenset(calls))
    return out


def models_read(function) -> tuple[str, ...]:
    """The Odoo models ``function`` (an API twin in ``data_access.odoo_api``) reads, with ``BASE_MODELS``, sorted."""
    seen: set[tuple[str, str]] = set()
    models: set[str] = set(BASE_MODELS)
    todo = [(function.__module__, function.__name__)]
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        own, calls = _module(ref[0]).get(ref[1], (frozenset(), frozenset()))
        models |= own
        todo.extend(calls)
    return tuple(sorted(models))
