"""Writing recruitment data, one module per subject. Every rule about openings, stages, applications,
scores, objections and hiring lives here; HR pages, the job portal, the API and the score import call
the subject modules directly (this package re-exports nothing).

Errors are `ValidationError`s keyed by field, so each caller can name what is wrong; every write that
matters is audited with `record_change`; a failing step saves nothing (transaction.atomic).

Imports between the modules run one way: access at the bottom (the region's clock is kinerja.region.facts); stages, selection and
applicants on them; openings on stages, hiring on openings; applications, scoring, ranking and publication
on selection; corrections on scoring, ranking and publication; objections on corrections (a test keeps
it so). The applicant's portal sign-in (the session) is kept by kinerja.recruitment.portal_session."""
