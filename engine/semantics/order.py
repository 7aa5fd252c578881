"""How deep definitions read one another, without walking them recursively.

The checker types a definition by typing what it reads first, recursively; so does the
analysis. Each expression nests at most `LIMITS.nesting` levels, but a chain of definitions,
each reading the next at the bottom of its expression, nests as deep as all of them together:
five 95-level formulas declared in reverse order overflowed Python's stack. `dependencies`
measures that combined depth (the *height*) iteratively, and gives an order in which every
definition comes after what it reads (cycles apart), so a checker can type them one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kinerja.syntax import tree as s


@dataclass(frozen=True)
class Dependencies:
    height: int  # the deepest nesting through definitions read (expression levels, summed along a chain)
    order: tuple[str, ...]  # every definition after the definitions it reads (cycle members in any order)
    cycles: tuple[tuple[str, ...], ...]  # definitions that read themselves, each cycle in reading order


def _expressions(decl: Any, exceptions: list[s.ExceptionDecl]) -> Iterator[s.Expr]:
    if isinstance(decl, s.ValueDecl):
        yield decl.expr
    elif isinstance(decl, s.TableDecl):
        yield decl.subject
        for row in decl.rows:
            if row.guard is not None:
                yield row.guard
            yield row.result
    elif isinstance(decl, s.QuadrantDecl):
        yield decl.row_subject
        yield decl.column_subject
        yield from (cell.value for row in decl.rows for cell in row.cells if cell.value is not None)
    elif isinstance(decl, s.WeightsDecl):
        yield from (branch.condition for branch in decl.branches if branch.condition is not None)
    applies = getattr(decl, "applies", None)
    if applies is not None:
        yield applies
    for exception in exceptions:
        yield exception.condition
        yield exception.result


def reads(expr: s.Expr) -> tuple[int, list[tuple[str, int]]]:
    """An expression's nesting depth, and each name it reads with the depth it is read at."""
    deepest = 0
    found: list[tuple[str, int]] = []
    todo: list[tuple[Any, int, frozenset[str]]] = [(expr, 1, frozenset())]
    while todo:
        node, depth, bound = todo.pop()
        deepest = max(deepest, depth)
        inner = depth + 1
        if isinstance(node, s.Name):
            if node.name not in bound:
                found.append((node.name, depth))
        elif isinstance(node, s.Member):
            todo.append((node.subject, inner, bound))
        elif isinstance(node, s.Unary):
            todo.append((node.operand, inner, bound))
        elif isinstance(node, s.Binary):
            todo.extend(((node.left, inner, bound), (node.right, inner, bound)))
        elif isinstance(node, s.IfThenElse):
            todo.extend(((node.condition, inner, bound), (node.then, inner, bound), (node.otherwise, inner, bound)))
        elif isinstance(node, s.Call):
            todo.extend((arg, inner, bound) for arg in node.args)
        elif isinstance(node, s.Aggregate):
            todo.append((node.source, inner, bound))
            local = bound | {node.variable}
            todo.extend((x, inner, local) for x in (node.item, node.weight, node.where) if x is not None)
        elif isinstance(node, s.ListLit):
            todo.extend((item, inner, bound) for item in node.items)
    return deepest, found


def dependencies(definitions: dict[str, Any], exceptions: dict[str, list[s.ExceptionDecl]]) -> Dependencies:
    """The height, an order of definition, and the cycles of a ruleset's definitions."""
    own: dict[str, int] = {}
    edges: dict[str, list[tuple[str, int]]] = {}
    for name, decl in definitions.items():
        deepest, names = 0, []
        for expr in _expressions(decl, exceptions.get(name, [])):
            depth, found = reads(expr)
            deepest = max(deepest, depth)
            names += [(n, d) for n, d in found if n in definitions]
        own[name], edges[name] = deepest, names
    components = _components(list(definitions), {n: [m for m, _ in e] for n, e in edges.items()})
    height: dict[str, int] = {}
    order: list[str] = []
    cycles: list[tuple[str, ...]] = []
    for component in components:  # dependencies first
        members = set(component)
        around = 0  # walking a cycle recursively goes once around it
        if len(component) > 1 or any(m == component[0] for m, _ in edges[component[0]]):
            cycles.append(_cycle(component[0], members, edges))
            around = sum(own[m] for m in component)
        for name in component:
            outside = [depth + height[m] for m, depth in edges[name] if m not in members]
            height[name] = max([own[name], around, *outside])
        order.extend(component)
    return Dependencies(max(height.values(), default=0), tuple(order), tuple(cycles))


def _components(names: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, without recursion), dependencies first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in names:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, at = work.pop()
            if at == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            if at < len(successors):
                work.append((node, at + 1))
                nxt = successors[at]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def _cycle(start: str, members: set[str], edges: dict[str, list[tuple[str, int]]]) -> tuple[str, ...]:
    """A path through a cycle back to `start` (`a -> b -> a`), as far as one is found greedily."""
    path, seen, node = [start], {start}, start
    while True:
        successors = [m for m, _ in edges[node] if m in members]
        if start in successors:
            return (*path, start)
        fresh = next((m for m in successors if m not in seen), None)
        if fresh is None:
            return (*path, start)
        path.append(fresh)
        seen.add(fresh)
        node = fresh
