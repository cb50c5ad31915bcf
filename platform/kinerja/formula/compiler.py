"""Turns a syntax tree into nested Python closures: no eval, exec or compile anywhere.

Each closure takes the environment (a dict of name -> Decimal) and returns a Decimal. Every arithmetic
result is checked against the magnitude limit; division by zero and other arithmetic failures become
FormulaError with the position of the operator. Sub-trees without names are computed once, here."""
from __future__ import annotations

import operator
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from kinerja.formula import nodes
from kinerja.formula.errors import FormulaError, _
from kinerja.formula.kernels import Fn, Operand, arithmetic, division_by_zero, too_large
from kinerja.formula.limits import Limits
from kinerja.formula.tables import CompiledTable
from kinerja.formula.values import CONTEXT, ONE, ZERO

_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_COMPARISON = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
               "!=": operator.ne}
# Beyond this many operators a run of + - or * / is evaluated in a loop rather than nested closures,
# which keeps the depth of nested calls during evaluation small whatever the formula's length.
_NESTED_CHAIN = 8


class Compiler:
    def __init__(self, limits: Limits, tables: dict[str, CompiledTable]) -> None:
        self.limit = limits.max_magnitude
        self.max_round_digits = limits.max_round_digits
        self.tables = tables
        self.handlers = {
            nodes.Number: self.number, nodes.Name: self.name, nodes.Negate: self.negate, nodes.Not: self.not_,
            nodes.Sum: self.chain, nodes.Product: self.chain, nodes.Compare: self.compare,
            nodes.Logical: self.logical, nodes.Call: self.call, nodes.If: self.if_, nodes.Lookup: self.lookup,
        }

    def compile(self, node: nodes.Node) -> Fn:
        return self.compiled(node).fn

    def compiled(self, node: nodes.Node) -> Operand:
        handler = self.handlers.get(type(node))
        if handler is None:
            raise FormulaError(_("unsupported formula element"), getattr(node, "position", None))
        result = handler(node)
        if isinstance(result, Operand):
            return result
        fn, constant = result
        if not constant:
            return Operand(fn)
        try:
            with localcontext(CONTEXT):
                value = fn({})
        except FormulaError:
            # Left for evaluation: the error belongs to the run that reaches it (e.g. an unchosen branch).
            return Operand(fn)
        return Operand(_constant(value), value)

    def all_constant(self, *operands: Operand) -> bool:
        return all(operand.constant is not None for operand in operands)

    # --- leaves ----------------------------------------------------------------------------------
    def number(self, node: nodes.Number) -> Operand:
        return Operand(_constant(node.value), node.value)

    def name(self, node: nodes.Name) -> Operand:
        return Operand(operator.itemgetter(node.name), None, node.name)

    # --- operators -------------------------------------------------------------------------------
    def negate(self, node: nodes.Negate):
        operand = self.compiled(node.operand)
        fn = operand.fn

        def negate(env):
            return -fn(env)
        return negate, self.all_constant(operand)

    def not_(self, node: nodes.Not):
        operand = self.compiled(node.operand)
        fn = operand.fn

        def not_(env):
            return ZERO if fn(env) else ONE
        return not_, self.all_constant(operand)

    def chain(self, node: nodes.Sum | nodes.Product):
        first = self.compiled(node.first)
        steps = [(symbol, position, self.compiled(operand)) for symbol, position, operand in node.rest]
        constant = self.all_constant(first, *(operand for _s, _p, operand in steps))
        if len(steps) <= _NESTED_CHAIN:
            current = first
            for symbol, position, operand in steps:
                current = Operand(arithmetic(symbol, current, operand, position, self.limit))
            return current.fn, constant
        return self.loop(first.fn, steps), constant

    def loop(self, first: Fn, steps) -> Fn:
        high, low = self.limit, -self.limit
        plan = tuple((_ARITHMETIC[symbol], symbol == "/", position, operand.fn) for symbol, position, operand in steps)

        def chain(env):
            result = first(env)
            for apply, divides, position, operand in plan:
                value = operand(env)
                if divides and not value:
                    raise division_by_zero(position)
                result = apply(result, value)
                if not low <= result <= high:
                    raise too_large(position, high)
            return result
        return chain

    def compare(self, node: nodes.Compare):
        left, right = self.compiled(node.left), self.compiled(node.right)
        test = _COMPARISON[node.operator]
        constant = self.all_constant(left, right)
        if right.constant is not None:
            fn, value = left.fn, right.constant

            def compare_with_constant(env):
                return ONE if test(fn(env), value) else ZERO
            return compare_with_constant, constant
        first, second = left.fn, right.fn

        def compare(env):
            return ONE if test(first(env), second(env)) else ZERO
        return compare, constant

    def logical(self, node: nodes.Logical):
        compiled = [self.compiled(operand) for operand in node.operands]
        operands = tuple(operand.fn for operand in compiled)
        constant = self.all_constant(*compiled)
        if node.operator == "and":
            if len(operands) == 2:
                first, second = operands

                def and_(env):
                    return ONE if first(env) and second(env) else ZERO
                return and_, constant

            def all_(env):
                for operand in operands:
                    if not operand(env):
                        return ZERO
                return ONE
            return all_, constant
        if len(operands) == 2:
            first, second = operands

            def or_(env):
                return ONE if first(env) or second(env) else ZERO
            return or_, constant

        def any_(env):
            for operand in operands:
                if operand(env):
                    return ONE
            return ZERO
        return any_, constant

    # --- functions -------------------------------------------------------------------------------
    def if_(self, node: nodes.If):
        condition = self.compiled(node.condition)
        then, otherwise = self.compiled(node.then), self.compiled(node.otherwise)
        if condition.constant is not None:
            # Only the chosen branch is kept, so the other is never evaluated.
            return then if condition.constant else otherwise
        test, first, second = condition.fn, then.fn, otherwise.fn

        def if_(env):
            return first(env) if test(env) else second(env)
        return if_, False

    def call(self, node: nodes.Call):
        compiled = [self.compiled(argument) for argument in node.arguments]
        arguments = [operand.fn for operand in compiled]
        constant = self.all_constant(*compiled)
        function = node.function
        if function in ("min", "max"):
            pick = min if function == "min" else max
            if len(arguments) == 1:
                return arguments[0], constant
            if len(arguments) == 2:
                first, second = arguments

                def pick_two(env):
                    return pick(first(env), second(env))
                return pick_two, constant
            operands = tuple(arguments)

            def pick_many(env):
                return pick([operand(env) for operand in operands])
            return pick_many, constant
        argument = arguments[0]
        if function == "abs":
            def absolute(env):
                return abs(argument(env))
            return absolute, constant
        if function in ("floor", "ceil"):
            rounding = ROUND_FLOOR if function == "floor" else ROUND_CEILING

            def to_integer(env):
                return argument(env).to_integral_value(rounding=rounding)
            return to_integer, constant
        return self.round(node, compiled), constant

    def round(self, node: nodes.Call, compiled: list[Operand]) -> Fn:
        """round(x, digits=0), halves away from zero; negative digits round to tens, hundreds, ..."""
        value = compiled[0].fn
        high, low, position = self.limit, -self.limit, node.position
        digits = compiled[1].constant if len(compiled) == 2 else ZERO
        if digits is not None:
            exponent = self.exponent(digits, position)
            if exponent == ONE:
                def round_whole(env):
                    result = value(env).quantize(ONE, rounding=ROUND_HALF_UP)
                    if low <= result <= high:
                        return result
                    raise too_large(position, high)
                return round_whole

            def round_fixed(env):
                return _checked_round(value(env), exponent, position, high)
            return round_fixed
        digits_fn, exponent_of = compiled[1].fn, self.exponent

        def round_variable(env):
            number = value(env)
            return _checked_round(number, exponent_of(digits_fn(env), position), position, high)
        return round_variable

    def exponent(self, digits: Decimal, position: int) -> Decimal:
        if digits != digits.to_integral_value() or abs(digits) > self.max_round_digits:
            raise FormulaError(_("round() takes a whole number of digits between -%(limit)s and %(limit)s")
                               % {"limit": self.max_round_digits}, position)
        return Decimal((0, (1,), -int(digits)))

    def lookup(self, node: nodes.Lookup):
        table = self.tables.get(node.table)
        if table is None:
            raise FormulaError(_("unknown table %(name)r") % {"name": node.table}, node.position,
                               code="unknown_name")
        argument = self.compiled(node.argument)
        find, name, position = table.find, table.name, node.position

        def above(value):
            return FormulaError(_("%(value)s is above the last row of table %(name)r")
                                % {"value": value, "name": name}, position, code="table")
        if argument.name is not None:
            key = argument.name

            def lookup_name(env):
                found = find(env[key])
                if found is None:
                    raise above(env[key])
                return found
            return lookup_name, False
        fn = argument.fn

        def lookup(env):
            value = fn(env)
            found = find(value)
            if found is None:
                raise above(value)
            return found
        return lookup, self.all_constant(argument)


def _checked_round(number: Decimal, exponent: Decimal, position: int, high: Decimal) -> Decimal:
    result = number.quantize(exponent, rounding=ROUND_HALF_UP)
    if exponent > ONE:
        result = result.quantize(ONE)  # 1.235E+6 -> 1235000
    if -high <= result <= high:
        return result
    raise too_large(position, high)


def _constant(value: Decimal) -> Fn:
    def constant(env):
        return value
    return constant
