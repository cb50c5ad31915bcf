"""The syntax tree. These classes are the whole language: the compiler accepts nothing else."""
from __future__ import annotations

from decimal import Decimal


class Node:
    __slots__ = ("position",)
    position: int


class Number(Node):
    __slots__ = ("value",)

    def __init__(self, value: Decimal, position: int) -> None:
        self.value, self.position = value, position


class Name(Node):
    __slots__ = ("name",)

    def __init__(self, name: str, position: int) -> None:
        self.name, self.position = name, position


class Negate(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node, position: int) -> None:
        self.operand, self.position = operand, position


class Not(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node, position: int) -> None:
        self.operand, self.position = operand, position


class Sum(Node):
    """first (+|- operand)*: one node for a whole run, so `1+1+...+1` is not a deep tree."""
    __slots__ = ("first", "rest")

    def __init__(self, first: Node, rest: list[tuple[str, int, Node]]) -> None:
        self.first, self.rest, self.position = first, rest, first.position


class Product(Node):
    """first (*|/ operand)*."""
    __slots__ = ("first", "rest")

    def __init__(self, first: Node, rest: list[tuple[str, int, Node]]) -> None:
        self.first, self.rest, self.position = first, rest, first.position


class Compare(Node):
    __slots__ = ("operator", "left", "right")

    def __init__(self, operator: str, left: Node, right: Node, position: int) -> None:
        self.operator, self.left, self.right, self.position = operator, left, right, position


class Logical(Node):
    """`and` / `or` over two or more operands, evaluated left to right, stopping once decided."""
    __slots__ = ("operator", "operands")

    def __init__(self, operator: str, operands: list[Node]) -> None:
        self.operator, self.operands, self.position = operator, operands, operands[0].position


class Call(Node):
    """min, max, round, floor, ceil, abs."""
    __slots__ = ("function", "arguments")

    def __init__(self, function: str, arguments: list[Node], position: int) -> None:
        self.function, self.arguments, self.position = function, arguments, position


class If(Node):
    __slots__ = ("condition", "then", "otherwise")

    def __init__(self, condition: Node, then: Node, otherwise: Node, position: int) -> None:
        self.condition, self.then, self.otherwise, self.position = condition, then, otherwise, position


class Lookup(Node):
    __slots__ = ("table", "argument")

    def __init__(self, table: str, argument: Node, position: int) -> None:
        self.table, self.argument, self.position = table, argument, position
