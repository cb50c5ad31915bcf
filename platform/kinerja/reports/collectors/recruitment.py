"""Recruitment funnel per opening kind (cpns, pppk, or a region's own kind): openings and posts, then
applications, how many passed the administrative check, passed a scored stage, were selected and hired."""
from __future__ import annotations

from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import count, tally

SECTION = "recruitment"
FUNNEL = ("applications", "passed_administrative", "passed_scored", "selected", "hired")


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    # One statement: openings and posts per kind, then the funnel per kind. An objection's decision
    # (outcome_override) wins over the computed outcome.
    for part, kind, *numbers in context.rows(
        """
        SELECT 'openings', kind, COUNT(*), COALESCE(SUM(posts), 0), 0, 0, 0
        FROM recruitment_opening WHERE status <> 'draft' GROUP BY kind
        UNION ALL
        SELECT 'funnel', o.kind, COUNT(DISTINCT a.id),
               COUNT(DISTINCT a.id) FILTER (WHERE s.kind = 'administrative' AND passed.outcome = 'passed'),
               COUNT(DISTINCT a.id) FILTER (WHERE s.kind = 'scored' AND passed.outcome = 'passed'),
               COUNT(DISTINCT a.id) FILTER (WHERE a.status IN ('selected', 'hired')),
               COUNT(DISTINCT a.id) FILTER (WHERE a.status = 'hired')
        FROM recruitment_application a
        JOIN recruitment_opening o ON o.id = a.opening_id
        LEFT JOIN LATERAL (
            SELECT sr.stage_id, COALESCE(NULLIF(sr.outcome_override, ''), sr.outcome) AS outcome
            FROM recruitment_stageresult sr WHERE sr.application_id = a.id
        ) passed ON TRUE
        LEFT JOIN recruitment_openingstage s ON s.id = passed.stage_id
        GROUP BY o.kind
        """
    ):
        if part == "openings":
            openings, posts = numbers[:2]
            collected.figures += [tally(SECTION, kind[:40], "openings", openings),
                                  tally(SECTION, kind[:40], "posts", posts)]
        else:
            # Funnel steps are nested, not parts of one total: each stands alone.
            collected.figures += [count(SECTION, kind[:40], step, n, group=None) for step, n in zip(FUNNEL, numbers)]
    return collected


COLLECTOR = Collector(
    section="recruitment",
    tables=("recruitment_opening", "recruitment_application", "recruitment_stageresult", "recruitment_openingstage"),
    collect=collect,
)
