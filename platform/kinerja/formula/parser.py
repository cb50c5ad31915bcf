"""Parser from tokens to the node classes in nodes.py: recursive descent, with precedence climbing for
operators (three Python frames per nesting level rather than one per precedence level).

Precedence, loosest first: or; and; not; comparison (one, not chained); + -; * /; unary -; primary.
Depth and node count are checked as the tree grows, so oversized input stops at the first excess."""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal

from kinerja.formula import nodes
from kinerja.formula.errors import FormulaError, _
from kinerja.formula.limits import Limits
from kinerja.formula.tokens import (
    END,
    FUNCTIONS,
    KEYWORDS,
    NAME,
    NUMBER,
    OPERATOR,
    TEXT,
    Token,
)

COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})

# Precedence, loosest first; `not` and unary minus are prefix operators at their level.
_OR, _AND, _NOT, _COMPARE, _ADD, _MULTIPLY, _UNARY = range(1, 8)
_BINARY = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MULTIPLY, "/": _MULTIPLY,
           **{operator: _COMPARE for operator in COMPARISONS}}
_RUNS = {_ADD: nodes.Sum, _MULTIPLY: nodes.Product}

# function -> (fewest, most) arguments
ARITY = {"min": (1, None), "max": (1, None), "round": (1, 2), "floor": (1, 1), "ceil": (1, 1),
         "abs": (1, 1), "if": (3, 3), "lookup": (2, 2)}


def describe(token: Token) -> str:
    if token.kind == END:
        return _("the end of the formula")
    if token.kind == NUMBER:
        return _("number %(number)s") % {"number": token.text}
    if token.kind == NAME:
        return _("name %(name)r") % {"name": token.text}
    if token.kind == TEXT:
        return _("text %(text)s") % {"text": token.text}
    return repr(token.text)


class Parser:
    def __init__(self, tokens: Iterator[Token], limits: Limits, names: Collection[str] | None,
                 tables: Mapping[str, object] | None) -> None:
        self.tokens = tokens
        self.current = next(tokens)
        self.limits = limits
        self.names = names
        self.tables = tables
        self.depth = 0
        self.node_count = 0
        # name -> position of its first use
        self.used_names: dict[str, int] = {}
        self.used_tables: dict[str, int] = {}

    # --- helpers ---------------------------------------------------------------------------------
    def peek(self) -> Token:
        return self.current

    def advance(self) -> Token:
        token = self.current
        if token.kind != END:
            self.current = next(self.tokens)
        return token

    def at_operator(self, *texts: str) -> bool:
        token = self.current
        return token.kind == OPERATOR and token.text in texts

    def expect_operator(self, text: str) -> Token:
        token = self.peek()
        if token.kind != OPERATOR or token.text != text:
            raise FormulaError(_("expected %(expected)r but found %(found)s")
                               % {"expected": text, "found": describe(token)}, token.position)
        return self.advance()

    def count(self, node: nodes.Node) -> nodes.Node:
        self.node_count += 1
        if self.node_count > self.limits.max_nodes:
            raise FormulaError(_("the formula is too large (more than %(limit)s parts)")
                               % {"limit": self.limits.max_nodes}, node.position, code="limit")
        return node

    def descend(self, position: int) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise FormulaError(_("the formula is nested too deeply (more than %(limit)s levels)")
                               % {"limit": self.limits.max_depth}, position, code="limit")

    # --- grammar ---------------------------------------------------------------------------------
    def parse(self) -> nodes.Node:
        if self.peek().kind == END:
            raise FormulaError(_("the formula is empty"), 0)
        tree = self.expression()
        token = self.peek()
        if token.kind != END:
            raise FormulaError(_("unexpected %(found)s") % {"found": describe(token)}, token.position)
        return tree

    def expression(self, floor: int = _OR) -> nodes.Node:
        """Precedence climbing: operators binding at least as tightly as ``floor`` are taken here. A run of
        + and -, of * and /, or of one of and/or becomes a single n-ary node, not a deep tree."""
        left = self.prefix(floor)
        run = None  # the n-ary node this loop is extending, if any
        while True:
            token = self.current
            precedence = _BINARY.get(token.text) if token.kind in (OPERATOR, NAME) else None
            if precedence is None or precedence < floor:
                return left
            self.advance()
            right = self.expression(precedence + 1)
            if precedence == _COMPARE:
                following = self.current
                if following.kind == OPERATOR and following.text in COMPARISONS:
                    raise FormulaError(_("comparisons cannot be chained: join them with 'and'"), following.position)
                left = self.count(nodes.Compare(token.text, left, right, token.position))
                continue
            self.count(right)
            if precedence <= _AND:
                # `run` may be a sum or product that this and/or now takes as its first operand
                if left is run and isinstance(run, nodes.Logical) and run.operator == token.text:
                    run.operands.append(right)
                else:
                    left = run = nodes.Logical(token.text, [left, right])
            elif left is run and isinstance(run, _RUNS[precedence]):
                run.rest.append((token.text, token.position, right))
            else:
                left = run = _RUNS[precedence](left, [(token.text, token.position, right)])

    def prefix(self, floor: int) -> nodes.Node:
        token = self.current
        if token.kind == NAME and token.text == "not":
            if floor > _NOT:
                raise FormulaError(_("'not' cannot follow this operator without parentheses"), token.position)
            self.advance()
            self.descend(token.position)
            operand = self.expression(_NOT)
            self.depth -= 1
            return self.count(nodes.Not(operand, token.position))
        if token.kind == OPERATOR and token.text in ("-", "+"):
            self.advance()
            self.descend(token.position)
            operand = self.expression(_UNARY)
            self.depth -= 1
            if token.text == "+":
                return operand
            return self.count(nodes.Negate(operand, token.position))
        return self.primary()

    def primary(self) -> nodes.Node:
        token = self.advance()
        if token.kind == NUMBER:
            value = token.value
            if self.at_operator("%"):
                self.advance()
                value = Decimal(token.text + "E-2")  # exact, whatever the context's precision
            return self.count(nodes.Number(value, token.position))
        if token.kind == NAME:
            if token.text in KEYWORDS:
                raise FormulaError(_("unexpected %(found)r") % {"found": token.text}, token.position)
            if self.at_operator("("):
                return self.call(token)
            return self.name(token)
        if token.kind == OPERATOR and token.text == "(":
            self.descend(token.position)
            node = self.expression()
            self.depth -= 1
            self.expect_operator(")")
            return node
        if token.kind == TEXT:
            raise FormulaError(_("text is only allowed as the table name in lookup(table, value)"), token.position)
        if token.kind == OPERATOR and token.text == "%":
            raise FormulaError(_("'%' may only follow a number, as in 60%"), token.position)
        raise FormulaError(_("expected a number, a name or '(' but found %(found)s")
                           % {"found": describe(token)}, token.position)

    def name(self, token: Token) -> nodes.Node:
        name = token.text
        if name in FUNCTIONS:
            raise FormulaError(_("%(name)s is a function: call it as %(name)s(...)") % {"name": name},
                               token.position)
        if self.names is not None and name not in self.names:
            raise FormulaError(_("unknown name %(name)r") % {"name": name}, token.position, code="unknown_name")
        self.used_names.setdefault(name, token.position)
        return self.count(nodes.Name(name, token.position))

    def call(self, token: Token) -> nodes.Node:
        function = token.text
        if function not in FUNCTIONS:
            raise FormulaError(_("unknown function %(name)r") % {"name": function}, token.position,
                               code="unknown_name")
        self.descend(token.position)
        self.expect_operator("(")
        if function == "lookup":
            arguments = [self.table_name()]
            self.expect_operator(",")
            arguments.append(self.expression())
        else:
            arguments = [self.expression()]
        while self.at_operator(","):
            self.advance()
            arguments.append(self.expression())
        self.expect_operator(")")
        self.depth -= 1
        fewest, most = ARITY[function]
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            if fewest == most:
                expected = str(fewest)
            elif most is None:
                expected = _("at least %(count)s") % {"count": fewest}
            else:
                expected = _("%(fewest)s or %(most)s") % {"fewest": fewest, "most": most}
            raise FormulaError(_("%(function)s() takes %(expected)s arguments, not %(given)s")
                               % {"function": function, "expected": expected, "given": len(arguments)},
                               token.position)
        if function == "if":
            node = nodes.If(arguments[0], arguments[1], arguments[2], token.position)
        elif function == "lookup":
            node = nodes.Lookup(arguments[0], arguments[1], token.position)
        else:
            node = nodes.Call(function, arguments, token.position)
        return self.count(node)

    def table_name(self) -> str:
        token = self.advance()
        if token.kind == NAME and token.text not in KEYWORDS and token.text not in FUNCTIONS:
            name = token.text
        elif token.kind == TEXT:
            name = token.value
        else:
            raise FormulaError(_("lookup() needs a table name first, as in lookup(tl_psw_rate, minutes)"),
                               token.position)
        if self.tables is None or name not in self.tables:
            raise FormulaError(_("unknown table %(name)r") % {"name": name}, token.position, code="unknown_name")
        self.used_tables.setdefault(name, token.position)
        return name
