"""Reading Dash component trees in tests without a browser."""
from __future__ import annotations


def texts(component) -> list[str]:
    """Every string in a component tree, depth first."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for c in component for t in texts(c)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


def text_of(component) -> str:
    """The tree's text, numbers included, joined by spaces."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def find_class(component, cls: str) -> list:
    """Every component of the tree carrying CSS class ``cls``, depth first."""
    found = []
    if isinstance(component, (list, tuple)):
        for c in component:
            found += find_class(c, cls)
        return found
    if cls in (getattr(component, "className", None) or "").split():
        found.append(component)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += find_class(children, cls)
    return found


def find_id(component, wanted: str):
    """The first component of the tree with id ``wanted``, or None."""
    if isinstance(component, (list, tuple)):
        return next((f for f in (find_id(c, wanted) for c in component) if f is not None), None)
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    return None if children is None or isinstance(children, str) else find_id(children, wanted)
