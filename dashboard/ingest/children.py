"""Child processes that start from the module they need, not from their parent's main script.

A ``spawn`` child runs its parent's ``__main__`` module again before it takes work. Inside Streamlit
(and AppTest) that module is ``dashboard/app.py``: the whole page, with the store opened. Every pool
of ours starts its processes under :func:`without_parent_main`.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import types

_LOCK = threading.Lock()


@contextlib.contextmanager
def without_parent_main():
    """While processes start (a pool's first submit), ``__main__`` is a bare module: children have no
    main script to run again."""
    with _LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main
