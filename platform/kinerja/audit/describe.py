"""Audit entries as people read them: a sentence per action ("approved the TPP run") and the fields that
changed by their labels, with their values written the platform's way, in the reader's language.

The entry keeps its action code (`pay.run_approved`), which filters and the API use; pages show
`describe(entry)`. Each module's actions are named here in one table, as the capabilities and the
notification kinds are; an action missing from it is still told in words ("recorded a change to the
pay run") from the record's model, never as its code. Field labels come from the target model's
verbose names (`apps.get_model`, so this module imports no app above it); values of choice fields are
shown by their labels, dates and moments through `kinerja.region.formats`."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.region import formats

ACTIONS = {
    # accounts and logins
    "accounts.login.create": gettext_lazy("made a login"),
    "accounts.login.link": gettext_lazy("sent a set-password link"),
    "accounts.login.closed": gettext_lazy("closed a login"),
    "accounts.login.reopened": gettext_lazy("reopened a login"),
    "accounts.policy.update": gettext_lazy("changed the sign-in policy"),
    "accounts.role.grant": gettext_lazy("granted a role"),
    "accounts.role.revoke": gettext_lazy("revoked a role"),
    "accounts.token.create": gettext_lazy("made an API token"),
    "accounts.token.revoke": gettext_lazy("revoked an API token"),
    "accounts.two_factor.enable": gettext_lazy("turned on two-factor sign-in"),
    "accounts.two_factor.remove": gettext_lazy("removed two-factor sign-in"),
    # appraisal
    "appraisal.curve.change": gettext_lazy("changed the distribution curve"),
    "appraisal.daily_log.create": gettext_lazy("logged a day's work"),
    "appraisal.daily_log.delete": gettext_lazy("deleted a daily log entry"),
    "appraisal.daily_log.return": gettext_lazy("returned a daily log entry"),
    "appraisal.daily_log.update": gettext_lazy("corrected a daily log entry"),
    "appraisal.daily_log.verify": gettext_lazy("verified a daily log entry"),
    "appraisal.matrix.change": gettext_lazy("changed the rating matrix"),
    "appraisal.objection.decide": gettext_lazy("decided an objection to a rating"),
    "appraisal.objection.file": gettext_lazy("filed an objection to a rating"),
    "appraisal.period.window": gettext_lazy("changed a realisation window"),
    "appraisal.plan.appraiser": gettext_lazy("named the appraiser of an SKP"),
    "appraisal.plan.approve": gettext_lazy("approved an SKP"),
    "appraisal.plan.open": gettext_lazy("opened an SKP"),
    "appraisal.rating.calibrate": gettext_lazy("calibrated a rating"),
    "appraisal.rating.deliver": gettext_lazy("delivered a rating"),
    "appraisal.rating.objection": gettext_lazy("changed a rating after an objection"),
    "appraisal.rating.set": gettext_lazy("rated an employee"),
    "appraisal.rating.unit_head": gettext_lazy("rated a unit head"),
    "appraisal.reward.record": gettext_lazy("recorded a reward"),
    "appraisal.reward.revoke": gettext_lazy("revoked a reward"),
    "appraisal.sanction.record": gettext_lazy("recorded a sanction"),
    "appraisal.sanction.revoke": gettext_lazy("revoked a sanction"),
    "appraisal.settings.change": gettext_lazy("changed the appraisal settings"),
    "appraisal.unit_rating.set": gettext_lazy("rated a unit's performance"),
    "appraisal.year.create": gettext_lazy("opened an appraisal year"),
    "appraisal.year.close": gettext_lazy("closed an appraisal year"),
    "appraisal.year.reopen": gettext_lazy("reopened an appraisal year"),
    "appraisal.plan_template.save": gettext_lazy("saved an SKP template"),
    "appraisal.plan_template.delete": gettext_lazy("deleted an SKP template"),
    # billing
    "billing.account_opened": gettext_lazy("opened a billing account"),
    "billing.application_approved": gettext_lazy("approved a region's application"),
    "billing.application_rejected": gettext_lazy("rejected a region's application"),
    "billing.checkout_started": gettext_lazy("started a card payment"),
    "billing.grace_expired": gettext_lazy("ended a grace period"),
    "billing.invoice_issued": gettext_lazy("issued an invoice"),
    "billing.payment_recorded": gettext_lazy("recorded a payment"),
    "billing.plan_saved": gettext_lazy("saved a price plan"),
    "billing.status_changed": gettext_lazy("changed a billing status"),
    "billing.terms_changed": gettext_lazy("changed billing terms"),
    # notifications
    "notifications.language.set": gettext_lazy("chose the language of e-mails"),
    "notifications.preference.set": gettext_lazy("changed notification choices"),
    # pay
    "pay.adjustment_created": gettext_lazy("made a pay adjustment"),
    "pay.transparency.named_on": gettext_lazy("started publishing pay by name"),
    "pay.transparency.named_off": gettext_lazy("stopped publishing pay by name"),
    "pay.attendance_corrected": gettext_lazy("corrected attendance"),
    "pay.attendance_imported": gettext_lazy("imported attendance"),
    "pay.bank_account_change_requested": gettext_lazy("asked for a bank account change"),
    "pay.bank_account_change_approved": gettext_lazy("approved a bank account change"),
    "pay.bank_account_change_rejected": gettext_lazy("rejected a bank account change"),
    "pay.bank_account_changed": gettext_lazy("changed a bank account"),
    "pay.bank_accounts_imported": gettext_lazy("imported bank accounts"),
    "pay.bank_set": gettext_lazy("changed the list of banks"),
    "pay.holiday_added": gettext_lazy("added a holiday"),
    "pay.holiday_removed": gettext_lazy("removed a holiday"),
    "pay.run_created": gettext_lazy("created a TPP run"),
    "pay.run_started": gettext_lazy("started computing a TPP run"),
    "pay.run_computed": gettext_lazy("finished computing a TPP run"),
    "pay.run_approved": gettext_lazy("approved a TPP run"),
    "pay.run_locked": gettext_lazy("locked a TPP run"),
    "pay.run_cancelled": gettext_lazy("cancelled a TPP run"),
    "pay.run_reset": gettext_lazy("reset a TPP run"),
    "pay.run_resumed": gettext_lazy("resumed a TPP run"),
    "pay.run_stalled_resumed": gettext_lazy("resumed a stalled TPP run"),
    "pay.service_target_set": gettext_lazy("set a service target"),
    "pay.service_targets_imported": gettext_lazy("imported service targets"),
    "pay.settings_changed": gettext_lazy("changed the pay settings"),
    "pay.transfer_exported": gettext_lazy("exported a transfer file"),
    "pay.working_day_changed": gettext_lazy("changed working hours"),
    # people
    "people.acting.appoint": gettext_lazy("appointed an acting supervisor"),
    "people.acting.end": gettext_lazy("ended an acting assignment"),
    "people.acting.withdraw": gettext_lazy("withdrew an acting assignment"),
    "people.career.record": gettext_lazy("recorded a career change"),
    "people.employee.create": gettext_lazy("added an employee"),
    "people.employee.link_user": gettext_lazy("linked a login to an employee"),
    "people.employee.update": gettext_lazy("changed an employee's data"),
    "people.import.apply": gettext_lazy("applied a people import"),
    "people.import.discard": gettext_lazy("discarded a people import"),
    "people.leave.request": gettext_lazy("requested leave"),
    "people.leave.cancel": gettext_lazy("cancelled a leave request"),
    "people.leave.recommended": gettext_lazy("recommended a leave request"),
    "people.leave.approved": gettext_lazy("approved a leave request"),
    "people.leave.rejected": gettext_lazy("rejected a leave request"),
    "people.leave.cancelled": gettext_lazy("cancelled a leave request"),
    "people.position.create": gettext_lazy("added a position"),
    "people.position.update": gettext_lazy("changed a position"),
    "people.unit.create": gettext_lazy("added a unit"),
    "people.unit.update": gettext_lazy("changed a unit"),
    # plugins
    "plugin.config_changed": gettext_lazy("changed a plugin's settings"),
    "plugin.enabled": gettext_lazy("enabled a plugin"),
    "plugin.disabled": gettext_lazy("disabled a plugin"),
    # recruitment
    "recruitment.application.submitted": gettext_lazy("submitted an application"),
    "recruitment.assessor.assigned": gettext_lazy("assigned an assessor"),
    "recruitment.document.reviewed": gettext_lazy("reviewed an applicant's document"),
    "recruitment.objection.filed": gettext_lazy("filed an objection (sanggah)"),
    "recruitment.objection.accepted": gettext_lazy("accepted an objection (sanggah)"),
    "recruitment.objection.rejected": gettext_lazy("rejected an objection (sanggah)"),
    "recruitment.opening.created": gettext_lazy("created a job opening"),
    "recruitment.opening.hired": gettext_lazy("hired an opening's selected candidates"),
    "recruitment.opening.published": gettext_lazy("published a job opening"),
    "recruitment.opening.registration_closed": gettext_lazy("closed registration for an opening"),
    "recruitment.scores.corrected": gettext_lazy("corrected scores"),
    "recruitment.scores.entered": gettext_lazy("entered scores"),
    "recruitment.scores.imported": gettext_lazy("imported scores"),
    "recruitment.scores.refused": gettext_lazy("had a score file refused"),
    "recruitment.scores.submitted": gettext_lazy("submitted scores"),
    "recruitment.stage.closed": gettext_lazy("closed a selection stage"),
    "recruitment.stage.computed": gettext_lazy("computed a stage's results"),
    "recruitment.stage.included": gettext_lazy("added a stage to the pipeline"),
    "recruitment.stage.dropped": gettext_lazy("dropped a stage from the pipeline"),
    "recruitment.stage.moved": gettext_lazy("moved candidates to the next stage"),
    "recruitment.stage.published": gettext_lazy("published a stage's results"),
    "recruitment.stage.rules_changed": gettext_lazy("changed a stage's rules"),
    # regions (the operator)
    "region.onboarded": gettext_lazy("onboarded a region"),
    "region.suspended": gettext_lazy("suspended a region"),
    "region.reactivated": gettext_lazy("reactivated a region"),
    "region.archived": gettext_lazy("archived a region"),
    "region.restored": gettext_lazy("restored a region from a backup"),
    "region.export_requested": gettext_lazy("asked for a region's data export"),
    "region.exported": gettext_lazy("exported a region's data"),
    "region.export_failed": gettext_lazy("had a region's data export fail"),
    # training
    "training.approved": gettext_lazy("approved a training request"),
    "training.attendance": gettext_lazy("recorded training attendance"),
    "training.budget_set": gettext_lazy("set a training budget"),
    "training.catalog_sync_failed": gettext_lazy("had a catalogue update fail"),
    "training.catalog_synced": gettext_lazy("updated the training catalogue"),
    "training.course_changed": gettext_lazy("changed a course"),
    "training.course_created": gettext_lazy("added a course"),
    "training.course_record_kind": gettext_lazy("set how a course is reported to BKN"),
    "training.enrolled": gettext_lazy("enrolled in training"),
    "training.external_recorded": gettext_lazy("recorded external training"),
    "training.external_verified": gettext_lazy("verified external training"),
    "training.jp_target_set": gettext_lazy("set the yearly JP target"),
    "training.promoted": gettext_lazy("moved an enrolment off the waiting list"),
    "training.rejected": gettext_lazy("rejected a training request"),
    "training.session_cancelled": gettext_lazy("cancelled a training session"),
    "training.session_changed": gettext_lazy("changed a training session"),
    "training.session_completed": gettext_lazy("completed a training session"),
    "training.session_created": gettext_lazy("scheduled a training session"),
    "training.withdrawn": gettext_lazy("withdrew from training"),
}

# Fields that say nothing to a reader (keys, bookkeeping); left out of the changes.
HIDDEN_FIELDS = frozenset({"id", "pk", "created_at", "updated_at", "password", "secret", "token_digest"})
LISTED_CHANGES = 12


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Described:
    sentence: str
    record: str
    changes: list[Change] = field(default_factory=list)


def model_of(target_type: str):
    """The model an entry's `target_type` ("pay.payrun") names, or None."""
    if target_type.count(".") != 1:
        return None
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def record_kind(target_type: str) -> str:
    """"TPP run": the verbose name of the record's model, or its type in words."""
    model = model_of(target_type)
    if model is not None:
        return capfirst(str(model._meta.verbose_name))
    return capfirst(target_type.rpartition(".")[2].replace("_", " "))


def action_phrase(action: str, target_type: str = "") -> str:
    phrase = ACTIONS.get(action)
    if phrase is not None:
        return str(phrase)
    model = model_of(target_type)
    what = str(model._meta.verbose_name) if model is not None else _("a record")
    return _("recorded a change to %(what)s") % {"what": what}


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        if name.endswith("_id"):
            try:
                return model._meta.get_field(name[:-3])
            except FieldDoesNotExist:
                return None
    return None


def _label(model, name: str) -> str:
    model_field = _field(model, name)
    if model_field is not None and getattr(model_field, "verbose_name", None):
        return capfirst(str(model_field.verbose_name))
    return capfirst(name.replace("_", " "))


def _value(model, name: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    model_field = _field(model, name)
    if model_field is not None and getattr(model_field, "flatchoices", None):
        labels = {str(key): label for key, label in model_field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return formats.date(datetime.date.fromisoformat(value))
            return formats.date_time(datetime.datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        internal = getattr(model_field, "get_internal_type", lambda: "")()
        if model_field is not None and (model_field.is_relation or internal in ("AutoField", "BigAutoField")):
            return str(value)
        return formats.number(value)
    if isinstance(value, dict):
        return "; ".join(f"{capfirst(str(k).replace('_', ' '))}: {_value(None, '', v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(None, "", v) for v in value)
    return str(value)


def changes(entry) -> list[Change]:
    """The fields whose value differs between before and after (all of after for a new record), by
    their labels, at most LISTED_CHANGES of them."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    model = model_of(entry.target_type)
    found = []
    for name in list(dict.fromkeys([*before, *after])):
        if name in HIDDEN_FIELDS:
            continue
        old, new = before.get(name), after.get(name)
        if before and after and old == new:
            continue
        found.append(Change(_label(model, name), _value(model, name, old) if before else "",
                            _value(model, name, new) if after else ""))
        if len(found) == LISTED_CHANGES:
            break
    return found


def describe(entry) -> Described:
    """"Budi Santoso approved a TPP run" and the record it concerns ("TPP run: TPP Maret 2026")."""
    who = entry.actor_name if entry.actor_name and entry.actor_name != "system" else _("The system")
    sentence = _("%(who)s %(did)s") % {"who": who, "did": action_phrase(entry.action, entry.target_type)}
    record = record_kind(entry.target_type) if entry.target_type else ""
    if entry.target_repr:
        record = f"{record}: {entry.target_repr}" if record else entry.target_repr
    return Described(sentence, record, changes(entry))
