"""The lock of a key (single flight): ``SET NX PX`` with a random token, renewed while its holder works,
deleted only by its owner. A holder that dies stops renewing and its lock expires."""
from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from contextlib import contextmanager

from dashboard.cache.stores import StoreDown

__all__ = ["acquire", "release_quietly", "holding"]


def acquire(store, lock: str, ttl_s: float) -> bytes | None:
    """The lock's new token when this caller took it, else None (raises StoreDown)."""
    token = secrets.token_hex(16).encode()
    return token if store.add(lock, token, int(ttl_s * 1000)) else None


def release_quietly(store, lock: str, token: bytes, on_down: Callable[[StoreDown], None]) -> None:
    """Release the lock if it is still ours; a store that is down is reported (the lock expires by itself)."""
    try:
        store.delete_if(lock, token)
    except StoreDown as error:
        on_down(error)


@contextmanager
def holding(store, lock: str, token: bytes, ttl_s: float, on_down: Callable[[StoreDown], None]):
    """Keep the lock renewed (every third of ``ttl_s``) while the block runs; release it (if still ours) after."""
    stop = threading.Event()
    ttl_ms = int(ttl_s * 1000)

    def renew():
        try:
            while not stop.wait(ttl_s / 3):
                try:
                    if not store.renew_if(lock, token, ttl_ms):
                        return
                except StoreDown:
                    return
        except SystemExit:
            # a thread killer aimed at another thread (dash[testing] stops its server thread with an asynchronous
            # SystemExit, which can land on a reused thread id): this helper just stops; the lock then expires
            return

    renewer = threading.Thread(target=renew, name="cache-lock-renewal", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        release_quietly(store, lock, token, on_down)
