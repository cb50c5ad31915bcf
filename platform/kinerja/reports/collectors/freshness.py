"""Data freshness: when each module's data last changed, read from the region's audit trail (every
service that writes records its change there)."""
from __future__ import annotations

from kinerja.reports.collectors.base import Collected, CollectContext, Collector
from kinerja.reports.privacy import tally

MODULES = ("people", "appraisal", "pay", "training", "recruitment", "plugins")


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    last = {module: at for module, at in context.rows(
        "SELECT split_part(target_type, '.', 1), MAX(at) FROM audit_auditentry "
        "WHERE split_part(target_type, '.', 1) = ANY(%s) GROUP BY 1", [list(MODULES)])}
    collected.details["last_change"] = {module: last[module].isoformat() for module in MODULES if module in last}
    for module, at in last.items():
        collected.figures.append(tally("freshness", "days_since_change", module, (context.today - at.date()).days))
    return collected


COLLECTOR = Collector(section="freshness", tables=("audit_auditentry",), collect=collect)
