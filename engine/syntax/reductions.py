"""Parse stage: each reduction of lark's LALR parser builds its piece of the syntax tree.

lark's default callbacks build lark's own tree (a node and a position record per reduction,
in Python), which we then walked a second time to make our dataclasses: for a band table of
10,000 rows that double work was most of checking it. Here the parser calls, per reduction,
the `_ToSyntax` method of the rule at once, with the children lark would have kept and the
text the rule covers; the depth of nesting is measured on the way. Reductions come bottom-up
from the parser's own stack, so a tree of any depth is built without recursion.

The children kept and the positions follow lark's rules exactly (`lark.parse_tree_builder`:
anonymous tokens filtered out unless the rule is `!`, `_`-rules spliced into their parent,
`?`-rules with one child replaced by it, `[…]` placeholders as None, a node's position from
the first and last child that has one, widened by the tokens an expanded `?`-rule dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kinerja.syntax.limits import LIMITS
from lark import Tree
from lark.grammar import Rule, Terminal

# Rules whose trees nest inside one another without bound: expressions, nested types, nested values.
NESTING_RULES = frozenset(
    """if_then_else or_op and_op not_op compare equals not_equals arith negate member call aggregate
    list_literal number_literal string true false name signed_number list_type field decimal_type
    integer_type boolean_type enum_type scale_type named_type domain list_value record binding""".split()
)


class Reduced:
    """A reduced rule on the parser's stack: its value and the text it covers.

    `line`…`end_column` are where the rule's text starts and ends (None for an empty rule),
    `height` how deep nesting rules nest inside it, `deep` where the outermost nesting rules
    deeper than the limit start. Doubles as the `meta` a `_ToSyntax` method reads.
    """

    __slots__ = ("value", "line", "column", "end_line", "end_column", "height", "deep")

    def __init__(self, value: Any, line: int | None, column: int | None, end_line: int | None,
                 end_column: int | None, height: int, deep: tuple[tuple[int, int], ...]) -> None:  # fmt: skip
        self.value = value
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.height = height
        self.deep = deep


# What one reduction keeps: (index in the rule's expansion, splice a `_`-rule, Nones before it).
_Keep = tuple[tuple[int, bool, int], ...]


def _kept(rule: Rule, placeholders: bool) -> tuple[_Keep, int]:
    """The children a rule keeps, and the Nones after the last (lark's `maybe_create_child_filter`)."""
    expansion = rule.expansion
    flags = rule.options.empty_indices if placeholders else ()
    if flags:
        ones = "".join(str(int(b)) for b in flags).split("0")
        empty = [len(run) for run in ones]
    else:
        empty = [0] * (len(expansion) + 1)
    keep_all = rule.options.keep_all_tokens
    kept = []
    nones = 0
    for index, symbol in enumerate(expansion):
        nones += empty[index]
        if keep_all or not (isinstance(symbol, Terminal) and symbol.filter_out):
            kept.append((index, not symbol.is_term and symbol.name.startswith("_"), nones))
            nones = 0
    return tuple(kept), nones + empty[len(expansion)]


@dataclass(frozen=True)
class Shape:
    """What one rule's reduction does, read once from lark's rule (the method is bound per parse)."""

    rule: Rule
    name: str  # the rule or its alias: the `_ToSyntax` method's name
    kept: _Keep
    trailing: int  # Nones after the last kept child
    splice_rule: bool  # a `_`-rule: its children become its parent's
    single: bool  # a `?`-rule: one kept child stands for it
    itself: bool  # `?sum: product`: nothing to do but pass the child on
    nests: bool  # one of NESTING_RULES
    rule_children: tuple[int, ...]  # positions of the rules among its children


def shapes(rules: Iterable[Rule], *, placeholders: bool = True) -> tuple[Shape, ...]:
    """Every rule's shape; made once per parser (the reductions of each parse bind its methods)."""
    found = []
    for rule in rules:
        name = str(rule.alias or rule.options.template_source or rule.origin.name)  # (lark may give its token)
        kept, trailing = _kept(rule, placeholders)
        splice_rule = rule.origin.name.startswith("_")
        single = bool(rule.options.expand1) and not rule.alias
        if splice_rule and single:
            raise ValueError(f"rule {name}: a `_`-rule that is also a `?`-rule is not supported")
        itself = single and len(kept) == 1 and len(rule.expansion) == 1 and not kept[0][1] and not kept[0][2] and not trailing
        rule_children = tuple(i for i, symbol in enumerate(rule.expansion) if not symbol.is_term)
        found.append(Shape(rule, name, kept, trailing, splice_rule, single, itself, name in NESTING_RULES, rule_children))
    return tuple(found)


def reductions(made: Iterable[Shape], methods: Any) -> dict[Rule, Callable[[list[Any]], Any]]:
    """The parser callbacks that build the syntax tree through `methods` (a `_ToSyntax`)."""
    return {shape.rule: _reduction(shape, methods) for shape in made}


def _itself(children: list[Any]) -> Any:
    return children[0]


def _reduction(shape: Shape, methods: Any) -> Callable[[list[Any]], Any]:
    if shape.itself:
        return _itself  # the child stands for the rule, covering the same text
    name, kept, trailing, splice_rule, single = shape.name, shape.kept, shape.trailing, shape.splice_rule, shape.single
    method = getattr(methods, name, None) if not splice_rule else None
    nests, rule_children = shape.nests, shape.rule_children
    limit = LIMITS.nesting

    def reduce(children: list[Any]) -> Any:
        values: list[Any] = []
        for index, splice, nones in kept:
            if nones:
                values += [None] * nones
            child = children[index]
            if splice:
                if values:
                    values += child.value
                else:
                    values = child.value  # left recursion (`row+`): extend the same list, linear time
            else:
                values.append(child.value if type(child) is Reduced else child)
        if trailing:
            values += [None] * trailing
        # where the rule's text starts and ends, and how deep it nests
        line = column = end_line = end_column = None
        height = 0
        deep: tuple[tuple[int, int], ...] = ()
        for index in rule_children:  # only a rule's child can be a Reduced
            child = children[index]
            if type(child) is Reduced:
                if child.height > height:
                    height = child.height
                if child.deep:
                    deep += child.deep
        for child in children:
            if type(child) is not Reduced or child.line is not None:
                line, column = child.line, child.column
                break
        for child in reversed(children):
            if type(child) is not Reduced or child.end_line is not None:
                end_line, end_column = child.end_line, child.end_column
                break
        if single and len(values) == 1:
            if len(kept) == 1 and not kept[0][1] and not kept[0][2] and not trailing:
                only = children[kept[0][0]]
                if type(only) is Reduced:
                    # the child stands for the rule and now covers the tokens the rule dropped (`( … )`)
                    only.line, only.column, only.end_line, only.end_column = line, column, end_line, end_column
                return only
            return Reduced(values[0], line, column, end_line, end_column, height, deep)
        if nests:
            height += 1
        node = Reduced(None, line, column, end_line, end_column, height, deep)
        if nests and height > limit:
            node.deep = ((line or 1, column or 1),)  # the outermost too deep so far: what it holds is not reported
        if splice_rule:
            node.value = values
        elif method is not None:
            node.value = method(node, values)
        else:
            node.value = Tree(name, values)  # a rule nothing reads as syntax (the recovery start)
        return node

    return reduce
