"""Headcount of serving staff (active and on leave) by employee type, golongan / PPPK grade, position
kind, position class and unit type: one grouping-sets query."""
from __future__ import annotations

from kinerja.people.models import EmployeeStatus
from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import count

SERVING = (EmployeeStatus.ACTIVE.value, EmployeeStatus.ON_LEAVE.value)
SECTION = "headcount"


def collect(context: CollectContext) -> Collected:
    result = context.rows(
        """
        SELECT e.employee_type, e.rank, p.kind, p.position_class, u.unit_type,
               GROUPING(e.employee_type, e.rank, p.kind, p.position_class, u.unit_type) AS grouping, COUNT(*)
        FROM people_employee e
        JOIN people_position p ON p.id = e.position_id
        JOIN people_unit u ON u.id = e.unit_id
        WHERE e.status = ANY(%s)
        GROUP BY GROUPING SETS ((), (e.employee_type), (e.employee_type, e.rank), (p.kind), (p.position_class),
                                (u.unit_type))
        """,
        [list(SERVING)],
    )
    figures = []
    total = 0
    everyone = (SECTION, "total", "employees")
    for employee_type, rank, kind, position_class, unit_type, grouping, n in result:
        # GROUPING() sets one bit per column left out, first column highest: 0b01111 = employee_type only.
        if grouping == 0b11111:
            total = n
        elif grouping == 0b01111:
            figures.append(count(SECTION, "employee_type", employee_type, n, parent=everyone))
        elif grouping == 0b00111:
            # The golongan of one employee type add up to that type's count, not to the headcount.
            figures.append(count(SECTION, "golongan", f"{employee_type} {rank}", n,
                                 group=f"{SECTION}/golongan/{employee_type}",
                                 parent=(SECTION, "employee_type", employee_type)))
        elif grouping == 0b11011:
            figures.append(count(SECTION, "position_kind", kind, n, parent=everyone))
        elif grouping == 0b11101:
            figures.append(count(SECTION, "position_class", f"{position_class:02d}", n, parent=everyone))
        elif grouping == 0b11110:
            figures.append(count(SECTION, "unit_type", unit_type, n, parent=everyone))
    figures.append(count(SECTION, "total", "employees", total, group=None))
    return Collected(figures=figures)


COLLECTOR = Collector(section="people", tables=("people_employee", "people_position", "people_unit"), collect=collect)
