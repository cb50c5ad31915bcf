"""Forms of HR's recruitment pages. They only gather the input: the services check it and their errors,
keyed by field (or by score component), are put back on the form's fields by `add_service_errors`."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinerja.recruitment import rules
from kinerja.recruitment.models import OpeningStage
from kinerja.recruitment.services import stages
from kinerja.recruitment.templatetags.recruitment_tags import weight
from kinerja.service_errors import add_to_form

FIELD_LABELS = {
    "number": _("Registration number"),
    "name": _("Name"),
    "components": _("Component scores"),
    "score": _("Stage score"),
    "rank": pgettext_lazy("position in a ranking", "Rank"),
    "outcome": _("Result"),
}


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors on the form: on the field they name (through `aliases`, e.g. a score
    component's name to its input), on the whole form otherwise."""
    add_to_form(form, error, aliases=aliases, unprefixed=("stage", "application", "scores"))


class StageRulesForm(forms.Form):
    """The rules of one stage HR may adjust before the opening is published; only those that mean
    something for the stage are offered."""

    threshold = forms.CharField(label=_("Minimum stage score"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    advance_per_post = forms.CharField(label=_("Candidates per post who go on"), required=False, max_length=10,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    objection_window_days = forms.CharField(label=_("Objection window (days after publishing)"), required=False,
                                            max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    publish_fields = forms.MultipleChoiceField(label=_("Published on the job portal"), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, stage: OpeningStage, *args, **kwargs):
        self.stage = stage
        allowed = stages.publishable_fields(stage)
        kwargs.setdefault("initial", {
            "threshold": "" if stage.threshold is None else rules.plain(stage.threshold),
            "advance_per_post": stage.advance_per_post or "",
            "objection_window_days": stage.objection_window_days,
            "publish_fields": [name for name in stage.publish_fields if name in allowed],
        })
        super().__init__(*args, **kwargs)
        maximum = stages.stage_maximum(stage)
        if maximum is None:
            del self.fields["threshold"]
        else:
            self.fields["threshold"].help_text = _(
                "From 0 to %s. Candidates below it do not pass; leave empty for no minimum.") % rules.plain(maximum)
        if stage.ranks:
            self.fields["advance_per_post"].help_text = _(
                "Of those who pass, at most this number x the opening's posts go on, in rank order; leave empty "
                "to let everyone who passes go on.")
        else:
            del self.fields["advance_per_post"]
        self.fields["objection_window_days"].help_text = _(
            "Days in which applicants may file a sanggah after the results are published; 0 for none.")
        if stage.announced:
            self.fields["publish_fields"].choices = [(name, FIELD_LABELS[name]) for name in allowed]
            self.fields["publish_fields"].help_text = _("Only these columns appear in the public list.")
        else:
            del self.fields["publish_fields"]

    def save(self, actor) -> OpeningStage:
        """Hand the input to the service; its errors land on the fields. Returns the stage, or None."""
        data = self.cleaned_data
        try:
            return stages.update_stage_rules(
                self.stage, actor=actor, threshold=data.get("threshold"),
                advance_per_post=data.get("advance_per_post"),
                objection_window_days=data.get("objection_window_days"),
                publish_fields=data.get("publish_fields") if "publish_fields" in self.fields else None)
        except ValidationError as error:
            add_service_errors(self, error)
            return None


class ScoreForm(forms.Form):
    """One input per component of a stage (score-0, score-1, ...), each with its maximum."""

    def __init__(self, stage: OpeningStage, *args, values: dict | None = None, disabled: bool = False,
                 placeholders: dict | None = None, **kwargs):
        self.stage = stage
        values, placeholders = values or {}, placeholders or {}
        super().__init__(*args, **kwargs)
        self.aliases = {}
        for index, component in enumerate(stage.components):
            key = f"score-{index}"
            name = component["name"]
            maximum = rules.plain(rules.to_decimal(component["max_score"]))
            attrs = {"inputmode": "decimal", "autocomplete": "off"}
            if name in placeholders:
                attrs["placeholder"] = placeholders[name]
            help_parts = [_("0 to %s") % maximum]
            if component.get("passing_grade") not in (None, ""):
                help_parts.append(_("passing grade %s") % rules.plain(rules.to_decimal(component["passing_grade"])))
            help_parts.append(_("weight %s%%") % weight(component["weight"]))
            self.fields[key] = forms.CharField(label=name, required=False, max_length=20, disabled=disabled,
                                               initial=values.get(name, ""), help_text=" · ".join(help_parts),
                                               widget=forms.TextInput(attrs=attrs))
            self.aliases[name] = key

    def scores(self) -> dict[str, str]:
        return {component["name"]: self.cleaned_data.get(f"score-{index}", "")
                for index, component in enumerate(self.stage.components)}

    def score_fields(self):
        return [self[f"score-{index}"] for index in range(len(self.stage.components))]


class CorrectionForm(ScoreForm):
    """A score correction: the components to change (empty ones stay as they are) and the reason."""

    def __init__(self, stage: OpeningStage, *args, **kwargs):
        super().__init__(stage, *args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
            help_text=_("For example the test centre's corrected result sheet. Kept in the audit trail."))
        self.aliases["reason"] = "reason"

    def scores(self) -> dict[str, str]:
        return {name: value for name, value in super().scores().items() if value.strip()}
