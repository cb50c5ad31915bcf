"""Public entry points: compile one expression, or a set of named components that may use each other."""
from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext

from kinerja.formula.compiler import Compiler, Fn
from kinerja.formula.errors import FormulaError, _
from kinerja.formula.limits import LIMITS, Limits
from kinerja.formula.parser import Parser
from kinerja.formula.tables import BracketTable, CompiledTable, compile_tables
from kinerja.formula.tokens import NAME_PATTERN, RESERVED, tokenize
from kinerja.formula.values import CONTEXT, to_decimal


class Expression:
    """A compiled formula. ``names``: the names it reads; ``evaluate(env)`` -> Decimal."""

    __slots__ = ("source", "names", "tables", "name_positions", "_fn", "_read", "component")

    def __init__(self, source: str, fn: Fn, name_positions: dict[str, int], tables: frozenset[str],
                 limits: Limits, component: str | None) -> None:
        self.source = source
        self.names = frozenset(name_positions)
        self.tables = tables
        self.name_positions = name_positions
        self.component = component
        self._fn = fn
        self._read = InputReader(name_positions, limits)

    def evaluate(self, env: Mapping[str, Decimal | int | str]) -> Decimal:
        values = self._read(env)
        try:
            with localcontext(CONTEXT):
                return self._fn(values)
        except FormulaError as error:
            if error.component is None:
                error.component = self.component
            raise
        except (ArithmeticError, RecursionError) as error:
            raise arithmetic_error(error, self.component) from None

    def __repr__(self) -> str:
        return "Expression(%r)" % self.source


class ComponentSet:
    """Named components compiled together. ``order``: names in evaluation order (dependencies first);
    ``evaluate(inputs)`` -> {component: Decimal} in that order."""

    def __init__(self, components: dict[str, Expression], order: list[str], inputs: frozenset[str],
                 tables: dict[str, CompiledTable], limits: Limits) -> None:
        self.components = components
        self.order = order
        self.inputs = inputs
        self.tables = tables
        self.dependencies = {name: tuple(n for n in components[name].names if n in components)
                             for name in order}
        self.required_inputs = tuple(sorted({n for e in components.values() for n in e.names if n not in components}))
        self._steps = tuple((name, components[name]._fn) for name in order)
        self._read = InputReader(self.required_inputs, limits)

    def evaluate(self, inputs: Mapping[str, Decimal | int | str]) -> dict[str, Decimal]:
        env = self._read(inputs)
        name = None
        try:
            with localcontext(CONTEXT):
                for name, fn in self._steps:
                    env[name] = fn(env)
        except FormulaError as error:
            if error.component is None:
                error.component = name
            raise
        except (ArithmeticError, RecursionError) as error:
            raise arithmetic_error(error, name) from None
        return {name: env[name] for name in self.order}

    def __repr__(self) -> str:
        return "ComponentSet(%s)" % ", ".join(self.order)


def compile_expression(source: str, *, names: Iterable[str] | None = None,
                       tables: Mapping[str, BracketTable] | None = None,
                       limits: Limits | None = None, component: str | None = None) -> Expression:
    """Compile formula text. With ``names``, any other name is refused; ``tables`` are the bracket
    tables lookup() may use. ``component`` only labels errors."""
    limits = (limits or LIMITS).copy()
    return _compile(source, None if names is None else frozenset(names), compile_tables(tables, limits), limits,
                    component)


def compile_components(components: Mapping[str, str] | list[tuple[str, str]], *, inputs: Iterable[str],
                       tables: Mapping[str, BracketTable] | None = None,
                       limits: Limits | None = None) -> ComponentSet:
    limits = (limits or LIMITS).copy()
    pairs = list(components.items()) if isinstance(components, Mapping) else list(components)
    if len(pairs) > limits.max_components:
        raise FormulaError(_("too many components (at most %(limit)s)") % {"limit": limits.max_components},
                           code="limit")
    if isinstance(inputs, str):
        raise FormulaError(_("inputs must be a collection of names, not one text"), code="definition")
    input_names = frozenset(inputs)
    for name in sorted(input_names, key=str):
        _check_name(name, "input")
    sources: dict[str, str] = {}
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise FormulaError(_("components are (name, formula) pairs"), code="definition")
        name, source = pair
        _check_name(name, "component")
        if name in sources:
            raise FormulaError(_("component %(name)r is defined twice") % {"name": name}, component=name,
                               code="definition")
        if name in input_names:
            raise FormulaError(_("component %(name)r has the same name as an input") % {"name": name},
                               component=name, code="definition")
        sources[name] = source
    compiled_tables = compile_tables(tables, limits)
    known = input_names | frozenset(sources)
    expressions = {name: _compile(source, known, compiled_tables, limits, name) for name, source in sources.items()}
    order = _dependency_order(expressions)
    return ComponentSet(expressions, order, input_names, compiled_tables, limits)


class InputReader:
    """Reads the named inputs from a mapping into a fresh dict of Decimals, checking each one."""

    __slots__ = ("names", "limits", "high", "low", "whole")

    def __init__(self, names: Iterable[str], limits: Limits) -> None:
        self.names = tuple(names)
        self.limits = limits
        self.high = limits.max_magnitude
        self.low = -self.high
        self.whole = int(self.high)

    def __call__(self, env: Mapping) -> dict[str, Decimal]:
        values: dict[str, Decimal] = {}
        high, low, whole = self.high, self.low, self.whole
        for name in self.names:
            try:
                value = env[name]
            except KeyError:
                raise FormulaError(_("input %(name)r is missing") % {"name": name}, code="input") from None
            kind = type(value)
            if kind is int and -whole <= value <= whole:
                values[name] = Decimal(value)
            elif kind is Decimal and value.is_finite() and low <= value <= high:
                values[name] = value
            else:
                values[name] = self.convert(name, value)
        return values

    def convert(self, name: str, value: object) -> Decimal:
        return to_decimal(value, what=lambda: _("input %(name)r") % {"name": name},
                          max_magnitude=self.high, max_length=self.limits.max_number_length)


def arithmetic_error(error: BaseException, component: str | None) -> FormulaError:
    if isinstance(error, RecursionError):
        message = _("the formula is nested too deeply")
    else:
        message = _("the calculation failed (%(reason)s)") % {"reason": type(error).__name__}
    return FormulaError(message, component=component, code="arithmetic")


def _compile(source: str, names: frozenset[str] | None, tables: dict[str, CompiledTable], limits: Limits,
             component: str | None) -> Expression:
    try:
        if not isinstance(source, str):
            raise FormulaError(_("a formula must be text"))
        if len(source) > limits.max_source_length:
            raise FormulaError(_("the formula is too long (at most %(limit)s characters)")
                               % {"limit": limits.max_source_length}, limits.max_source_length, code="limit")
        parser = Parser(tokenize(source, limits), limits, names, tables)
        tree = parser.parse()
        fn = Compiler(limits, tables).compile(tree)
    except FormulaError as error:
        if error.component is None:
            error.component = component
        raise
    except RecursionError:
        # Only reachable when LIMITS.max_depth is raised far beyond its default.
        raise FormulaError(_("the formula is nested too deeply"), component=component, code="limit") from None
    return Expression(source, fn, parser.used_names, frozenset(parser.used_tables), limits, component)


def _check_name(name: object, kind: str) -> None:
    valid = isinstance(name, str) and NAME_PATTERN.match(name) and not name.startswith("__")
    if kind == "input":
        if not valid:
            raise FormulaError(_("input name %(name)r must be lower-case letters, digits and '_', starting with a "
                                 "letter or a single '_'") % {"name": name}, code="definition")
        if name in RESERVED:
            raise FormulaError(_("input name %(name)r is a reserved word") % {"name": name}, code="definition")
        return
    if not valid:
        raise FormulaError(_("component name %(name)r must be lower-case letters, digits and '_', starting with a "
                             "letter or a single '_'") % {"name": name}, code="definition")
    if name in RESERVED:
        raise FormulaError(_("component name %(name)r is a reserved word") % {"name": name}, code="definition")


def _dependency_order(expressions: dict[str, Expression]) -> list[str]:
    """Dependencies first; among components that are ready, the one declared first goes first."""
    declared = {name: index for index, name in enumerate(expressions)}
    uses = {name: [n for n in expression.names if n in expressions] for name, expression in expressions.items()}
    waiting = {name: len(set(deps)) for name, deps in uses.items()}
    used_by: dict[str, list[str]] = {name: [] for name in expressions}
    for name, deps in uses.items():
        for dependency in set(deps):
            used_by[dependency].append(name)
    ready = [(declared[name], name) for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _index, name = heapq.heappop(ready)
        order.append(name)
        for user in used_by[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (declared[user], user))
    if len(order) < len(expressions):
        raise _cycle_error(expressions, uses, set(expressions) - set(order), declared)
    return order


def _cycle_error(expressions, uses, stuck: set[str], declared: dict[str, int]) -> FormulaError:
    # Every stuck component depends on another stuck one, so walking from any of them meets a cycle.
    start = min(stuck, key=declared.__getitem__)
    path, seen = [start], {start: 0}
    while True:
        following = next(n for n in uses[path[-1]] if n in stuck)
        if following in seen:
            cycle = path[seen[following]:]
            break
        seen[following] = len(path)
        path.append(following)
    # Report it at the cycle's first-declared member, pointing at its reference to the next member.
    first = min(range(len(cycle)), key=lambda i: declared[cycle[i]])
    cycle = cycle[first:] + cycle[:first]
    following = cycle[1] if len(cycle) > 1 else cycle[0]
    position = expressions[cycle[0]].name_positions[following]
    return FormulaError(_("circular reference: %(cycle)s") % {"cycle": " -> ".join(cycle + [cycle[0]])},
                        position, component=cycle[0], code="cycle")
