"""TPP of the latest locked pay run, per position class: how many were paid, the total, the median and
the spread (25th and 75th percentiles). Gross TPP (earnings) of successfully computed results."""
from __future__ import annotations

from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import amount, count, measure

SECTION = "tpp"


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    result = context.rows(
        """
        WITH latest AS (SELECT id, month FROM pay_payrun WHERE status = 'locked' ORDER BY month DESC LIMIT 1)
        SELECT latest.month, r.position_class, GROUPING(r.position_class), COUNT(*), SUM(r.earnings),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY r.earnings),
               percentile_cont(0.25) WITHIN GROUP (ORDER BY r.earnings),
               percentile_cont(0.75) WITHIN GROUP (ORDER BY r.earnings)
        FROM pay_payresult r JOIN latest ON latest.id = r.run_id
        WHERE r.ok
        GROUP BY latest.month, GROUPING SETS ((r.position_class), ())
        """
    )
    for month, position_class, grouping, n, total, median, p25, p75 in result:
        collected.details["tpp_month"] = month.strftime("%Y-%m")
        if grouping:  # the row over every class
            collected.figures += [
                count(SECTION, "all", "employees", n, group=None),
                amount(SECTION, "all", "total", total, base=n),
                measure(SECTION, "all", "median", median, base=n, places="1"),
                measure(SECTION, "all", "p25", p25, base=n, places="1"),
                measure(SECTION, "all", "p75", p75, base=n, places="1"),
            ]
            continue
        key = f"{position_class:02d}"
        behind = (SECTION, "employees", key)
        collected.figures += [
            count(SECTION, "employees", key, n, parent=(SECTION, "all", "employees")),
            amount(SECTION, "total", key, total, base=n, depends_on=behind),
            measure(SECTION, "median", key, median, base=n, depends_on=behind, places="1"),
            measure(SECTION, "p25", key, p25, base=n, depends_on=behind, places="1"),
            measure(SECTION, "p75", key, p75, base=n, depends_on=behind, places="1"),
        ]
    return collected


COLLECTOR = Collector(section="pay", tables=("pay_payrun", "pay_payresult"), collect=collect)
