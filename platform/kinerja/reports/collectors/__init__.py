"""The collectors, one per module. A module that appears later adds its collector to COLLECTORS; a
collector whose tables are missing from a region's schema is reported as "not available" there."""
from kinerja.reports.collectors import (
    appraisal,
    freshness,
    pay,
    people,
    recruitment,
    training,
)
from kinerja.reports.collectors.base import CollectContext, Collected, Collector

COLLECTORS: list[Collector] = [
    people.COLLECTOR,
    appraisal.COLLECTOR,
    pay.COLLECTOR,
    training.COLLECTOR,
    recruitment.COLLECTOR,
    freshness.COLLECTOR,
]

SECTIONS = [collector.section for collector in COLLECTORS]

__all__ = ["COLLECTORS", "SECTIONS", "Collected", "CollectContext", "Collector"]
