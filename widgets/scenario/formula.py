"""A tiny expression language shared by the Python model and its Vega-Lite twin.

The scenario model (:mod:`widgets.scenario.equations`) is written once, as a list of steps whose
right-hand sides are short formulas such as ``max(0, demand_t - licensed_china_t)``. This
module reads those formulas and gives them two faces:

* :func:`evaluate` computes a formula with numpy (scalars or arrays that broadcast);
* :func:`to_vega` prints it as a Vega expression for a Vega-Lite ``calculate`` transform,
  where a model *parameter* becomes a Vega-Lite param of the same name (so a slider bound
  to that param drives it) and a *column* becomes ``datum.<column>``.

The language is deliberately small, so that a reader can check every formula by hand:

==================  ============================================================
numbers             ``12``, ``0.5``, ``365``; booleans ``true`` and ``false``
names               parameters and columns: ``china_share``, ``demand_t``; in
                    Vega form a column is written ``datum.demand_t``
arithmetic          ``+  -  *  /`` and parentheses; unary minus
comparisons         ``<  <=  >  >=  ==  !=``
logic               ``&&`` (and), ``||`` (or), ``!`` (not)
functions           ``min(a, b)``, ``max(a, b)``, ``pow(a, b)``, ``if(test, a, b)``,
                    ``floor(a)``
==================  ============================================================

Operator precedence is the one of JavaScript (and so of Vega): ``||`` binds loosest, then
``&&``, then ``==``/``!=``, then ``<``/``<=``/``>``/``>=``, then ``+``/``-``, then
``*``/``/``, then unary ``-``/``!``. Anything else (another function, an attribute, a
string, ``**``, an unknown character) is rejected with a :class:`ExpressionError` that
says what and where: the text is never handed to Python's ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

FUNCTIONS: dict[str, tuple[int, Callable]] = {
    # name: (number of arguments, numpy implementation)
    "min": (2, np.minimum),
    "max": (2, np.maximum),
    "pow": (2, np.power),
    "if": (3, np.where),
    "floor": (1, np.floor),
}

# binary operators: precedence (higher binds tighter) and numpy implementation
BINARY: dict[str, tuple[int, Callable]] = {
    "||": (1, np.logical_or),
    "&&": (2, np.logical_and),
    "==": (3, np.equal),
    "!=": (3, np.not_equal),
    "<": (4, np.less),
    "<=": (4, np.less_equal),
    ">": (4, np.greater),
    ">=": (4, np.greater_equal),
    "+": (5, np.add),
    "-": (5, np.subtract),
    "*": (6, np.multiply),
    "/": (6, np.divide),
}
UNARY_PRECEDENCE = 7
ATOM_PRECEDENCE = 8

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:datum\.)?[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||<=|>=|==|!=|[-+*/<>!(),])
    """,
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """A formula that the mini-language cannot read or evaluate; the message says why."""


# --------------------------------------------------------------------------- syntax tree
@dataclass(frozen=True)
class Number:
    value: float | bool


@dataclass(frozen=True)
class Name:
    name: str  # as written: "china_share" or "datum.demand_t"


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "!"
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Number | Name | Unary | Binary | Call


# --------------------------------------------------------------------------- parsing
def tokenize(text: str) -> list[tuple[str, str, int]]:
    """Split ``text`` into (kind, token, position) triples; reject anything unknown."""
    if not isinstance(text, str):
        raise ExpressionError(f"a formula must be text, not {type(text).__name__}")
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(
                f"unexpected character {text[position]!r} at position {position} in {text!r}"
            )
        kind = match.lastgroup
        if kind != "space":
            tokens.append((kind, match.group(), position))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def error(self, message: str) -> ExpressionError:
        token = self.peek()
        where = f"at position {token[2]}" if token else "at the end"
        return ExpressionError(f"{message} {where} in {self.text!r}")

    def take(self, expected: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise self.error(f"expected {expected!r}" if expected else "unexpected end")
        if expected is not None and token[1] != expected:
            raise self.error(f"expected {expected!r}, found {token[1]!r}")
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("empty formula")
        node = self.expression(1)
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()[1]!r}")
        return node

    def expression(self, min_precedence: int) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token[0] != "op" or token[1] not in BINARY:
                return left
            precedence = BINARY[token[1]][0]
            if precedence < min_precedence:
                return left
            self.take()
            right = self.expression(precedence + 1)  # all binary operators are left-associative
            left = Binary(token[1], left, right)

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token[1] in ("-", "!"):
            self.take()
            return Unary(token[1], self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error("expected a number, a name or '('")
        kind, text, _ = token
        if kind == "number":
            self.take()
            value = float(text)
            return Number(int(value) if value.is_integer() and abs(value) < 2**53 else value)
        if kind == "name":
            self.take()
            if text in ("true", "false"):
                return Number(text == "true")
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                if text not in FUNCTIONS:
                    allowed = ", ".join(FUNCTIONS)
                    raise ExpressionError(
                        f"unknown function {text!r} in {self.text!r}: allowed {allowed}"
                    )
                self.take("(")
                args = [self.expression(1)]
                while self.peek() is not None and self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expression(1))
                self.take(")")
                arity = FUNCTIONS[text][0]
                if len(args) != arity:
                    raise ExpressionError(
                        f"{text}() takes {arity} arguments, got {len(args)} in {self.text!r}"
                    )
                return Call(text, tuple(args))
            if text in FUNCTIONS:
                raise ExpressionError(f"{text} is a function: write {text}(...) in {self.text!r}")
            return Name(text)
        if text == "(":
            self.take("(")
            node = self.expression(1)
            self.take(")")
            return node
        raise self.error(f"unexpected {text!r}")


def parse(text: str) -> Node:
    """The syntax tree of ``text`` (raises :class:`ExpressionError` if it is not valid)."""
    return _Parser(text).parse()


def names(node: Node | str) -> set[str]:
    """Every name (parameter or column) that a formula uses, as written."""
    if isinstance(node, str):
        node = parse(node)
    if isinstance(node, Name):
        return {node.name}
    if isinstance(node, Unary):
        return names(node.operand)
    if isinstance(node, Binary):
        return names(node.left) | names(node.right)
    if isinstance(node, Call):
        return set().union(*(names(a) for a in node.args))
    return set()


# --------------------------------------------------------------------------- numpy evaluator
def evaluate(node: Node | str, env: Mapping[str, object]):
    """Compute a formula with numpy; ``env`` maps each name to a number or an array.

    Arrays broadcast as numpy arrays do, so one call can evaluate a formula for one scenario
    (arrays of shape ``(months,)``) or for many (``(scenarios, 1)`` against ``(1, months)``).
    """
    if isinstance(node, str):
        node = parse(node)
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        try:
            return env[node.name]
        except KeyError:
            known = ", ".join(sorted(env))
            raise ExpressionError(f"unknown name {node.name!r} (known: {known})") from None
    if isinstance(node, Unary):
        value = evaluate(node.operand, env)
        return np.negative(value) if node.op == "-" else np.logical_not(value)
    if isinstance(node, Binary):
        function = BINARY[node.op][1]
        return function(evaluate(node.left, env), evaluate(node.right, env))
    if isinstance(node, Call):
        function = FUNCTIONS[node.function][1]
        return function(*(evaluate(a, env) for a in node.args))
    raise ExpressionError(f"not a formula node: {node!r}")  # pragma: no cover


# --------------------------------------------------------------------------- printing
def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return BINARY[node.op][0]
    if isinstance(node, Unary):
        return UNARY_PRECEDENCE
    if isinstance(node, Number) and not isinstance(node.value, bool) and node.value < 0:
        return UNARY_PRECEDENCE
    return ATOM_PRECEDENCE


def format_number(value: float | bool) -> str:
    """A number as both Python and JavaScript read it back exactly (``12``, ``0.5``, ``true``)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    value = float(value)
    if not np.isfinite(value):
        raise ExpressionError(f"{value} cannot be written in a formula")
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def unparse(node: Node, rename: Callable[[str], str] = lambda n: n) -> str:
    """Print a syntax tree back as text, with as few parentheses as the precedence allows.

    ``rename`` maps each name to the text to print for it (used by :func:`to_vega`).
    """
    if isinstance(node, Number):
        return format_number(node.value)
    if isinstance(node, Name):
        return rename(node.name)
    if isinstance(node, Unary):
        inner = unparse(node.operand, rename)
        if _precedence(node.operand) <= UNARY_PRECEDENCE:  # "-(-x)", never "--x"
            inner = f"({inner})"
        return f"{node.op}{inner}"
    if isinstance(node, Binary):
        mine = BINARY[node.op][0]
        left = unparse(node.left, rename)
        right = unparse(node.right, rename)
        if _precedence(node.left) < mine:
            left = f"({left})"
        # operators group to the left, so a right operand of the same precedence keeps its
        # parentheses: "a - (b - c)", and also "a + (b + c)" (floating-point sums depend on
        # the grouping, and the browser must add in the same order as numpy)
        if _precedence(node.right) <= mine:
            right = f"({right})"
        return f"{left} {node.op} {right}"
    if isinstance(node, Call):
        return f"{node.function}({', '.join(unparse(a, rename) for a in node.args)})"
    raise ExpressionError(f"not a formula node: {node!r}")  # pragma: no cover


def to_vega(
    node: Node | str,
    parameters: Iterable[str],
    prefix: str = "",
    parameter_format: str = "{prefix}{name}",
) -> str:
    """The formula as a Vega expression.

    A name listed in ``parameters`` becomes the Vega-Lite param ``prefix + name``; any other
    name is a column of the data and becomes ``datum.<name>``. ``min``, ``max``, ``pow`` and
    ``if`` are Vega expression functions with the same meaning (``parameter_format`` can
    make parameters row fields instead, e.g. ``"datum.{name}"`` for a sweep of scenarios); numbers and booleans print
    the same way in both languages.
    """
    if isinstance(node, str):
        node = parse(node)
    parameters = set(parameters)

    def rename(name: str) -> str:
        if name.startswith("datum."):
            return name
        if name in parameters:
            return parameter_format.format(prefix=prefix, name=name)
        return f"datum.{name}"

    return unparse(node, rename)
