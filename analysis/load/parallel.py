"""Running per-item work in worker processes, with one read-only object shared by all of them.

``parallel_map(func, items, jobs, shared=obj)`` calls ``func(obj, *args)``
for each ``args`` of ``items``. With ``jobs`` > 1 the calls run in that
many *forked* processes: each worker receives ``obj`` once, through the
fork (the parent's memory, not a copy sent over a pipe), and only the small
``args`` travel per call. Workers that run PyTorch are not forked from a
parent that has loaded it (they would hang): with ``uses_torch=True`` they
start from a fork server instead, ``obj`` pickled once per worker. ``obj`` must not be changed while the pool runs.
This is the package's one shared-memory mechanism; nothing else carries data
to workers, and no module keeps state between calls.
"""

from __future__ import annotations

import sys

__all__ = ["parallel_map"]

_NOTHING = object()
# The object of the running pool, in a worker process only: set by the pool's initializer
# right after the fork, read by ``_call``; the parent never sets it.
_worker_shared = _NOTHING


def parallel_map(func, arg_tuples: list[tuple], jobs: int = 1, shared=_NOTHING, uses_torch: bool = False):
    """``func(*args)`` (or ``func(shared, *args)``) for each of ``arg_tuples``, yielded in input order.

    Work is sent in chunks so that small items do not pay one round trip each.
    An exception in ``func`` is raised here, in the parent, as in one process.
    ``uses_torch``: the workers run PyTorch (the transformer), so they are not
    forked from a parent that has loaded it (see the module docstring).
    """
    if jobs <= 1 or len(arg_tuples) < 2:
        if shared is _NOTHING:
            yield from (func(*args) for args in arg_tuples)
        else:
            yield from (func(shared, *args) for args in arg_tuples)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(arg_tuples) // (jobs * 8))
    # Workers that run PyTorch cannot be forked from a process that has run it: its OpenMP thread
    # pool does not survive the fork and they hang. They start from a clean server process
    # instead and receive ``shared`` pickled, once each. Other work keeps the fork.
    start = "forkserver" if uses_torch and "torch" in sys.modules else "fork"
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context(start), initializer=_install,
                             initargs=(shared is not _NOTHING, shared)) as pool:
        yield from pool.map(_call, [func] * len(arg_tuples), arg_tuples, chunksize=chunk)


def _install(given: bool, shared) -> None:
    # ``given``, not ``shared is _NOTHING``: a pickled sentinel (fork server) is another object.
    global _worker_shared
    _worker_shared = shared if given else _NOTHING


def _call(func, args: tuple):
    return func(*args) if _worker_shared is _NOTHING else func(_worker_shared, *args)
