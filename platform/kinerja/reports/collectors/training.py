"""Training: JP per active employee in the current and the previous year, and how many reached the
national minimum of 20 JP a year (PerLAN 10/2018). Completed sessions and verified courses taken
elsewhere count, as on the region's own compliance report."""
from __future__ import annotations

import datetime

from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import count, measure

SECTION = "training"
# The national yardstick, the same for every region so that regions compare; a region's own (higher)
# target stays on its own training pages.
NATIONAL_MINIMUM_JP = 20


def collect(context: CollectContext) -> Collected:
    """The previous and the current year, from one pass over the training records."""
    year = context.today.year
    (row,) = context.rows(
        """
        WITH earned AS (
            SELECT employee_id, jp_hours AS jp, completed_on AS day FROM training_enrolment
            WHERE status = 'completed' AND completed_on >= %(start)s AND completed_on < %(end)s
            UNION ALL
            SELECT employee_id, jp_hours, ended_on FROM training_externalcourse
            WHERE verified AND ended_on >= %(start)s AND ended_on < %(end)s
        ), per_employee AS (
            SELECT e.id, COALESCE(SUM(earned.jp) FILTER (WHERE earned.day < %(split)s), 0) AS previous,
                   COALESCE(SUM(earned.jp) FILTER (WHERE earned.day >= %(split)s), 0) AS current
            FROM people_employee e LEFT JOIN earned ON earned.employee_id = e.id
            WHERE e.status = 'active' GROUP BY e.id
        )
        SELECT COUNT(*),
               COALESCE(SUM(previous), 0), COUNT(*) FILTER (WHERE previous >= %(minimum)s),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY previous),
               COALESCE(SUM(current), 0), COUNT(*) FILTER (WHERE current >= %(minimum)s),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY current)
        FROM per_employee
        """,
        {"start": datetime.date(year - 1, 1, 1), "split": datetime.date(year, 1, 1),
         "end": datetime.date(year + 1, 1, 1), "minimum": NATIONAL_MINIMUM_JP},
    )
    employees = row[0]
    return Collected(figures=_year(year - 1, employees, *row[1:4]) + _year(year, employees, *row[4:7]))


def _year(year: int, employees: int, jp_total, meeting: int, median) -> list:
    breakdown = str(year)
    per_employee = jp_total / employees if employees else None
    return [
        count(SECTION, breakdown, "employees", employees, group=None),
        # Whether one reached 20 JP is a personal attribute: "all 7 below 20 JP" names each one's.
        count(SECTION, breakdown, "meeting_20jp", meeting, parent=(SECTION, breakdown, "employees"), sensitive=True),
        count(SECTION, breakdown, "below_20jp", employees - meeting, parent=(SECTION, breakdown, "employees"),
              sensitive=True),
        measure(SECTION, breakdown, "jp_total", jp_total, base=employees),
        measure(SECTION, breakdown, "jp_per_employee", per_employee, base=employees),
        measure(SECTION, breakdown, "jp_median", median, base=employees, places="0.1"),
    ]


COLLECTOR = Collector(section="training",
                      tables=("training_enrolment", "training_externalcourse", "people_employee"), collect=collect)
