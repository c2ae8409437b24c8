"""Cycle finding in a dependency graph (pure Python)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def find_cycle(edges: Mapping[N, Iterable[N]]) -> list[N]:
    """One cycle as nodes in dependency order (a → b means a depends on b), or [] if acyclic.

    Iterative depth-first search, so a long chain of 300 programmes cannot overflow the stack.
    """
    state: dict[N, int] = {}  # 1 on the current path, 2 finished
    for start in edges:
        if start in state:
            continue
        path: list[N] = [start]
        pending: list[list[N]] = [list(edges.get(start, ()))]
        state[start] = 1
        while path:
            if not pending[-1]:
                state[path.pop()] = 2
                pending.pop()
                continue
            nxt = pending[-1].pop()
            if state.get(nxt) == 1:
                return path[path.index(nxt) :]
            if nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(list(edges.get(nxt, ())))
    return []
