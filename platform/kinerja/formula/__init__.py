"""The safe formula language HR administrators use for regional pay (TPP) components.

Formulas are tokenized and parsed by our own code into whitelisted node classes, then compiled into
Python closures; nothing typed by a user ever reaches eval, exec, compile or Python's ast. See README.md."""
from kinerja.formula.errors import FormulaError
from kinerja.formula.expression import (
           ComponentSet,
           Expression,
           compile_components,
           compile_expression,
)
from kinerja.formula.limits import LIMITS, Limits
from kinerja.formula.tables import BracketTable

__all__ = ["FormulaError", "compile_expression", "compile_components", "Expression", "ComponentSet", "LIMITS",
           "Limits", "BracketTable"]
