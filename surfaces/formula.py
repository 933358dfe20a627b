"""Surfaces typed as formulas: "(1 - x)^2 + 100*(y - x^2)^2".

The text is never evaluated. A whitelist tokenizer and a recursive-descent parser of our
own turn it into a tree of numbers, x, y, + − × ÷ ^, parentheses and a few named
functions; sympy builds the expression from that tree (never from the text), derives the
exact gradient and Hessian, and compiles them to vectorized numpy. Every limit that
bounds the work (length, nesting, exponents) is checked while parsing, and a bad formula
raises FormulaError with the position of the offending character. Overflow while running
is not an error: the runner sees a non-finite loss and reports the run as diverged.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .base import Surface, minimum

MAX_LENGTH = 200  # characters
# Numbers, names and operators (parentheses aside): the Hessian of a product of n factors has
# about n² terms of n factors, so this bounds the algebra and the compiled code (a second at most).
MAX_TERMS = 48
MAX_DEPTH = 12  # nested parentheses and function calls
MAX_EXPONENT = 10  # |p| of a numeric exponent; an exponent without x or y must be such a number
MAX_NUMBER = 1e6
# Powers whose exponent holds x or y (2^x, x^y): each multiplies the size of the derivatives
# (d/dx of u^v has both u^v·v' log u and v·u^(v-1)·u'), so the Hessian of a tower grows fast.
MAX_VARIABLE_POWERS = 3
# The work bound that remains: operations in the exact derivatives (sympy.count_ops), checked
# before they are compiled (compiling costs about a millisecond per operation).
MAX_GRADIENT_OPERATIONS = 100
MAX_HESSIAN_OPERATIONS = 800
FUNCTIONS = ("exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan")
CONSTANTS = {"pi": math.pi, "e": math.e}
NAMES = frozenset(("x", "y") + FUNCTIONS + tuple(CONSTANTS))
DEFAULT_DOMAIN = ((-3.0, 3.0), (-3.0, 3.0))
EXAMPLES = {
    "Rosenbrock": "(1 - x)^2 + 100*(y - x^2)^2",
    "Himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "saddle": "x^2 - y^2",
    "monkey saddle": "x^3 - 3*x*y^2",
    "ripples": "x^2 + y^2 + 2*sin(3*x)*sin(3*y)",
    "Booth": "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
}

_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]+)"
                    r"|(?P<op>\*\*|[-+*/^(),]))")


class FormulaError(ValueError):
    """A formula that cannot be used, and where: position is a 0-based character index."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position + 1}")
        self.position = position


@dataclass(frozen=True)
class Token:
    kind: str  # "number" | "name" | "op" | "end"
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    if not text.strip():
        raise FormulaError("the formula is empty", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match:
            offending = position + len(text[position:]) - len(text[position:].lstrip())
            raise FormulaError(f"unexpected character {text[offending]!r}", offending)
        kind = match.lastgroup
        start = match.start(kind)
        if kind == "name" and match.group(kind) not in NAMES:  # reported left to right, like a bad character
            raise FormulaError(f"unknown name {match.group(kind)!r} (allowed: x, y, pi, e, {', '.join(FUNCTIONS)})",
                               start)
        tokens.append(Token(kind, match.group(kind), start))
        if sum(t.text not in "()," for t in tokens) > MAX_TERMS:
            raise FormulaError(f"the formula has more than {MAX_TERMS} numbers, names and operators", start)
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# The parse tree: ("num", value) | ("var", "x"|"y") | ("neg", node) | (op, left, right) for
# op in + - * / ^ | ("call", function, argument).

class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.index, self.depth, self.variable_powers = tokens, 0, 0, 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def expect(self, text: str):
        if self.current.text != text:
            found = f"{self.current.text!r}" if self.current.kind != "end" else "the end"
            raise FormulaError(f"expected {text!r}, found {found}", self.current.position)
        self.take()

    def parse(self):
        tree = self.sum()
        if self.current.kind != "end":
            raise FormulaError(f"unexpected {self.current.text!r}", self.current.position)
        return tree

    def sum(self):
        tree = self.product()
        while self.current.text in ("+", "-"):
            op = self.take().text
            tree = (op, tree, self.product())
        return tree

    def product(self):
        tree = self.unary()
        while self.current.text in ("*", "/"):
            op = self.take().text
            tree = (op, tree, self.unary())
        return tree

    def unary(self):
        if self.current.text in ("-", "+"):
            sign = self.take()
            with self.nested(sign):
                operand = self.unary()
            return ("neg", operand) if sign.text == "-" else operand
        return self.power()

    def power(self):
        base = self.atom()
        if self.current.text in ("^", "**"):
            caret = self.take()
            with self.nested(caret):
                exponent = self.unary()  # right-associative: 2^-x, x^y^2 = x^(y^2)
            _check_exponent(base, exponent, caret.position)
            if _has_variable(exponent):
                self.variable_powers += 1
                if self.variable_powers > MAX_VARIABLE_POWERS:
                    raise FormulaError(f"at most {MAX_VARIABLE_POWERS} powers may have x or y in the exponent",
                                       caret.position)
            return ("^", base, exponent)
        return base

    def atom(self):
        token = self.current
        if token.kind == "number":
            self.take()
            value = float(token.text)
            if not value <= MAX_NUMBER:
                raise FormulaError(f"numbers are limited to {MAX_NUMBER:g}", token.position)
            return ("num", value)
        if token.kind == "name":
            self.take()
            if token.text in ("x", "y"):
                return ("var", token.text)
            if token.text in CONSTANTS:
                return ("const", token.text)
            if token.text in FUNCTIONS:
                self.expect("(")
                with self.nested(token):
                    argument = self.sum()
                self.expect(")")
                return ("call", token.text, argument)
            raise FormulaError(f"unknown name {token.text!r} (allowed: x, y, pi, e, {', '.join(FUNCTIONS)})",
                               token.position)
        if token.text == "(":
            self.take()
            with self.nested(token):
                tree = self.sum()
            self.expect(")")
            return tree
        found = f"{token.text!r}" if token.kind != "end" else "the end of the formula"
        raise FormulaError(f"expected a number, x, y, a function or '(', found {found}", token.position)

    def nested(self, token: Token):
        parser = self

        class Depth:
            def __enter__(self):
                parser.depth += 1
                if parser.depth > MAX_DEPTH:
                    raise FormulaError(f"nested more than {MAX_DEPTH} levels deep", token.position)

            def __exit__(self, *exc):
                parser.depth -= 1
        return Depth()


def _has_variable(tree) -> bool:
    if tree[0] == "var":
        return True
    return any(_has_variable(child) for child in tree[1:] if isinstance(child, tuple))


_FLOAT_FUNCTIONS = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "abs": abs, "sin": math.sin,
                    "cos": math.cos, "tan": math.tan, "tanh": math.tanh, "sinh": math.sinh, "cosh": math.cosh,
                    "atan": math.atan}


def _constant_value(tree) -> float:
    """The value of a subtree without x or y, in floats (raises OverflowError, ValueError, ...)."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "const":
        return CONSTANTS[tree[1]]
    if kind == "neg":
        return -_constant_value(tree[1])
    if kind == "call":
        return float(_FLOAT_FUNCTIONS[tree[1]](_constant_value(tree[2])))
    left, right = _constant_value(tree[1]), _constant_value(tree[2])
    if kind == "^":
        value = left ** right
        if isinstance(value, complex):
            raise ValueError("complex")
        return value
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[kind]


def _check_exponent(base, exponent, position: int):
    """A constant exponent is a number between -10 and 10, and a constant power must be a float:
    a tower such as 9^9^9^9 would make the algebra compute a number with millions of digits."""
    if _has_variable(exponent):
        return
    message = f"an exponent without x or y must be a number between -{MAX_EXPONENT} and {MAX_EXPONENT}"
    try:
        value = _constant_value(exponent)
        if not _has_variable(base):
            _constant_value(("^", base, exponent))
    except (OverflowError, ValueError, ZeroDivisionError):
        raise FormulaError(f"{message}, and its power a finite real number", position) from None
    if not abs(value) <= MAX_EXPONENT:
        raise FormulaError(message, position)


def parse(text: str):
    """The parse tree of a formula; raises FormulaError pointing at the offending character."""
    return _Parser(tokenize(text)).parse()


def _to_sympy(tree, sp, x, y):
    kind = tree[0]
    if kind == "num":
        value = tree[1]
        return sp.Integer(int(value)) if value == int(value) else sp.Float(value)
    if kind == "var":
        return x if tree[1] == "x" else y
    if kind == "const":
        return sp.pi if tree[1] == "pi" else sp.E
    if kind == "neg":
        return -_to_sympy(tree[1], sp, x, y)
    if kind == "call":
        function = {"abs": sp.Abs, "atan": sp.atan}.get(tree[1]) or getattr(sp, tree[1])
        return function(_to_sympy(tree[2], sp, x, y))
    left, right = _to_sympy(tree[1], sp, x, y), _to_sympy(tree[2], sp, x, y)
    return {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
            "/": lambda: left / right, "^": lambda: left ** right}[kind]()


@dataclass(frozen=True)
class CompiledFormula:
    latex: str
    f: object  # numpy functions of (x, y) arrays
    grad: tuple
    hessian: tuple
    # The same expressions compiled to Python's math module, for one point: a path steps one
    # point at a time, and numpy's per-call overhead on two numbers costs ten times the maths.
    scalar_f: object
    scalar_grad: tuple
    scalar_hessian: tuple


@lru_cache(maxsize=64)
def compile_formula(text: str) -> CompiledFormula:
    """Parse, differentiate exactly and compile to numpy (sympy is imported only here)."""
    tree = parse(text)
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    expression = _to_sympy(tree, sp, x, y)
    if not expression.free_symbols & {x, y}:
        raise FormulaError("the formula must depend on x or y", 0)
    gradient = [sp.diff(expression, v) for v in (x, y)]
    if sum(sp.count_ops(g) for g in gradient) > MAX_GRADIENT_OPERATIONS:
        raise FormulaError(f"the gradient of this formula has more than {MAX_GRADIENT_OPERATIONS} operations", 0)
    # abs' second derivative is a Dirac delta at the kink: zero everywhere a run can land.
    hessian = [[sp.diff(g, v).replace(sp.DiracDelta, lambda *args: sp.Integer(0)) for v in (x, y)]
               for g in gradient]
    if sum(sp.count_ops(h) for row in hessian for h in row) > MAX_HESSIAN_OPERATIONS:
        raise FormulaError(f"the Hessian of this formula has more than {MAX_HESSIAN_OPERATIONS} operations", 0)

    def compiled(e, modules="numpy"):
        return sp.lambdify((x, y), e, modules=modules)
    return CompiledFormula(sp.latex(expression), compiled(expression), tuple(compiled(g) for g in gradient),
                           tuple(tuple(compiled(h) for h in row) for row in hessian),
                           compiled(expression, "math"), tuple(compiled(g, "math") for g in gradient),
                           tuple(tuple(compiled(h, "math") for h in row) for row in hessian))


def _evaluate(function, px, py):
    with np.errstate(all="ignore"):
        value = function(px, py)
    return np.broadcast_to(np.asarray(value, dtype=np.float64), np.broadcast(px, py).shape)


def _at_point(scalar, vectorized, px: float, py: float) -> float:
    """One value in Python floats; where the math module refuses (an overflow, log of 0, a
    negative base to a fractional power, which Python makes complex) numpy's inf or nan is the
    answer, as it would be in an array of points."""
    try:
        value = scalar(px, py)
        if not isinstance(value, complex):
            return float(value)
    except (ArithmeticError, ValueError, TypeError):
        pass
    with np.errstate(all="ignore"):
        return float(np.asarray(vectorized(np.float64(px), np.float64(py)), dtype=np.float64))


class FormulaSurface(Surface):
    """A surface from a typed formula, optionally with its own plot domain and start."""
    name = "custom"
    title = "Your formula"
    lesson = "Your own function: its gradient and Hessian are derived exactly from the formula."

    def __init__(self, formula: str, domain=None, start=None):
        super().__init__()
        self.source = formula
        self.compiled = compile_formula(formula)
        self.formula = self.compiled.latex
        self.domain = _checked_domain(domain)
        (x0, x1), (y0, y1) = self.domain
        self.start = _checked_start(start, self.domain) if start is not None else (
            float(f"{x0 + 0.2 * (x1 - x0):.6g}"), float(f"{y0 + 0.8 * (y1 - y0):.6g}"))  # 0.6, not 0.6000000000000001

    def f(self, p):
        p = np.asarray(p, dtype=np.float64)
        if p.shape == (2,):
            return np.float64(_at_point(self.compiled.scalar_f, self.compiled.f, *p.tolist()))
        return _evaluate(self.compiled.f, p[..., 0], p[..., 1]).copy()

    def grad(self, p):
        p = np.asarray(p, dtype=np.float64)
        if p.shape == (2,):
            px, py = p.tolist()
            return np.array([_at_point(s, v, px, py) for s, v in zip(self.compiled.scalar_grad, self.compiled.grad)])
        px, py = p[..., 0], p[..., 1]
        return np.stack([_evaluate(g, px, py) for g in self.compiled.grad], axis=-1)

    def hessian(self, p):
        p = np.asarray(p, dtype=np.float64)
        if p.shape == (2,):
            px, py = p.tolist()
            return np.array([[_at_point(s, v, px, py) for s, v in zip(scalar_row, row)]
                             for scalar_row, row in zip(self.compiled.scalar_hessian, self.compiled.hessian)])
        px, py = p[..., 0], p[..., 1]
        rows = [np.stack([_evaluate(h, px, py) for h in row], axis=-1) for row in self.compiled.hessian]
        return np.stack(rows, axis=-2)

    def minima(self) -> list[dict]:
        found = [s for s in self.stationary_points() if s["kind"] == "minimum"]
        return [minimum(s["point"], s["value"], "global" if s["global"] else "local") for s in found]

    def describe(self) -> dict:
        return super().describe() | {"source": self.source}

    def outline(self) -> dict:
        """What the page shows of a typed surface before its scene: no search, no runs."""
        return {"name": self.name, "title": self.title, "lesson": self.lesson, "formula": self.formula,
                "source": self.source, "domain": [list(self.domain[0]), list(self.domain[1])],
                "start": list(self.start), "log_colour": self.log_colour, "parameters": []}


def capabilities() -> dict:
    """What a typed formula may hold, for the page's formula box (its limits and examples)."""
    return {"name": FormulaSurface.name, "title": FormulaSurface.title, "lesson": FormulaSurface.lesson,
            "max_length": MAX_LENGTH, "max_depth": MAX_DEPTH, "max_exponent": MAX_EXPONENT,
            "functions": list(FUNCTIONS), "constants": list(CONSTANTS), "variables": ["x", "y"],
            "default_domain": [list(DEFAULT_DOMAIN[0]), list(DEFAULT_DOMAIN[1])],
            "examples": [{"name": name, "formula": text} for name, text in EXAMPLES.items()]}


def _checked_domain(domain):
    if domain is None:
        return DEFAULT_DOMAIN
    try:
        (x0, x1), (y0, y1) = [(float(a), float(b)) for a, b in domain]
    except (TypeError, ValueError):
        raise ValueError("domain must be [[x_min, x_max], [y_min, y_max]]") from None
    if not all(math.isfinite(v) and abs(v) <= 1e4 for v in (x0, x1, y0, y1)) or not (x0 < x1 and y0 < y1):
        raise ValueError("domain must be [[x_min, x_max], [y_min, y_max]] with min < max, within ±10000")
    return (x0, x1), (y0, y1)


def _checked_start(start, domain):
    try:
        x, y = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError("start must be [x, y]") from None
    (x0, x1), (y0, y1) = domain
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        raise ValueError(f"start [{x:g}, {y:g}] must lie in the plot: x in [{x0:g}, {x1:g}], y in [{y0:g}, {y1:g}]")
    return x, y
