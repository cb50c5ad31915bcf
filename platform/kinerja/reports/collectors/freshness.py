"""Data freshness: when each module's data last changed, read from the region's audit trail (every
service that writes records its change there)."""
from __future__ import annotations

from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import tally

MODULES = ("people", "appraisal", "pay", "training", "recruitment", "plugins")


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    # Grouped by the stored column and folded into modules here: splitting every entry's type in SQL
    # costs more than the scan itself once a region has years of audit trail.
    last = {}
    for target_type, at in context.rows("SELECT target_type, MAX(at) FROM audit_auditentry GROUP BY target_type"):
        module = target_type.split(".", 1)[0]
        if module in MODULES and (module not in last or at > last[module]):
            last[module] = at
    collected.details["last_change"] = {module: last[module].isoformat() for module in MODULES if module in last}
    for module, at in last.items():
        collected.figures.append(tally("freshness", "days_since_change", module, (context.today - at.date()).days))
    return collected


COLLECTOR = Collector(section="freshness", tables=("audit_auditentry",), collect=collect)
