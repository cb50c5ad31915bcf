"""Appraisal endpoints of the region API. Reads go through the appraisal selectors and writes through its
services, so the API and the pages apply the same rules."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from kinerja.appraisal import bulk, exports, plan_templates, rollover, selectors, services
from kinerja.appraisal.indicators import AgencyType, indicator_templates
from kinerja.appraisal.models import (
    AppraisalPeriod,
    AppraisalYear,
    CurveRule,
    DailyLog,
    Evidence,
    Feedback,
    Iki,
    Objection,
    PlanTemplate,
    PredicateRule,
    Rating,
    Realisation,
    RewardSanction,
    Rhk,
    SelfReport,
    SkpPlan,
)
from kinerja.people.models import Employee, Position, Unit
from kinerja.people.selectors import visible_employees
from kinerja.region import letterhead
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.params import integer_param
from api.parsers import FormParser, JSONObjectParser, MultiPartParser
from api.permissions import ActionCapabilities, capability_permission
from api.representation import QuickRepresentation
from api.schema import PDF, download

# Appraisal endpoints answer the region's own roles; what each sees and may change is decided by the
# selectors and the services.
RegionRole = capability_permission("appraisal.read")
RegionWideReader = capability_permission("appraisal.read_all")
TakingPart = capability_permission("appraisal.take_part")
AppraisalRulesManager = capability_permission("appraisal.manage")


# --- years, periods, rules ----------------------------------------------------------------------
class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = AppraisalPeriod
        fields = ["id", "number", "label", "starts_on", "ends_on", "opens_on", "closes_on"]


class AppraisalYearSerializer(serializers.ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = AppraisalYear
        fields = ["id", "year", "cadence", "periods", "closed_at", "close_reason"]


class YearCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cadence = serializers.CharField()


class PeriodWindowSerializer(serializers.Serializer):
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CarrySerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=False,
                                 help_text="ids of the chosen employees; omit for every plan that can be carried")


class OpenItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    plan_id = serializers.IntegerField()
    employee_id = serializers.IntegerField()
    employee = serializers.CharField()
    unit = serializers.CharField()
    what = serializers.CharField()


class AppraisalYearViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RegionRole]
    serializer_class = AppraisalYearSerializer
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{1,4}"

    def get_queryset(self):
        return selectors.appraisal_years().prefetch_related("periods__appraisal_year")

    def create(self, request):
        data = YearCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.create_appraisal_year(actor=request.user, **data.validated_data)
        return Response(AppraisalYearSerializer(self.get_queryset().get(pk=created.pk)).data,
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path=r"periods/(?P<number>\d+)/window")
    def window(self, request, year=None, number=None):
        period = AppraisalPeriod.objects.select_related("appraisal_year").filter(
            appraisal_year__year=year, number=number).first()
        if period is None:
            raise exceptions.NotFound()
        data = PeriodWindowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_period_window(actor=request.user, period=period, **data.validated_data)
        return Response(PeriodSerializer(period).data)

    # --- the year rollover (kinerja.appraisal.rollover), HR only ---
    def _hr_year(self, request, year) -> AppraisalYear:
        if not selectors.is_hr(request.user):
            raise exceptions.PermissionDenied()
        return self.get_object()

    @action(detail=True, methods=["get"], url_path="open-items")
    def open_items(self, request, year=None):
        """What is still open in the year (what closing would be refused for without a reason)."""
        items = rollover.open_items(self._hr_year(request, year))
        return Response({"count": len(items), "items": OpenItemSerializer([i.as_dict() for i in items], many=True).data})

    @action(detail=True, methods=["post"])
    def close(self, request, year=None):
        """Close the year: 400 listing what is open unless `reason` says why to close anyway."""
        appraisal_year = self._hr_year(request, year)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        left = rollover.close_year(actor=request.user, appraisal_year=appraisal_year, reason=data.validated_data["reason"])
        appraisal_year.refresh_from_db()
        return Response({**AppraisalYearSerializer(appraisal_year).data, "left_open": len(left)})

    @action(detail=True, methods=["post"])
    def reopen(self, request, year=None):
        appraisal_year = self._hr_year(request, year)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rollover.reopen_year(actor=request.user, appraisal_year=appraisal_year, reason=data.validated_data["reason"])
        appraisal_year.refresh_from_db()
        return Response(AppraisalYearSerializer(appraisal_year).data)

    def _carry(self, request, year, apply: bool):
        appraisal_year = self._hr_year(request, year)
        data = CarrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return BulkViewSet._answer(lambda apply: rollover.carry_plans(
            actor=request.user, appraisal_year=appraisal_year, employee_ids=data.validated_data.get("rows"),
            apply=apply), apply)

    @action(detail=True, methods=["post"], url_path="carry/preview")
    def carry_preview(self, request, year=None):
        """What carrying the closed year's plans into the next year as drafts would do; nothing changes."""
        return self._carry(request, year, False)

    @action(detail=True, methods=["post"], url_path="carry/apply")
    def carry_apply(self, request, year=None):
        """Carry the plans: every chosen row or none (400 with every row when one is refused)."""
        return self._carry(request, year, True)


class PredicateRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PredicateRule
        fields = ["work_result", "behaviour", "predicate", "note"]


class CurveRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CurveRule
        fields = ["organisation_rating", "predicates", "bound", "percent"]


class SiasnCodesSerializer(serializers.Serializer):
    codes = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                  help_text='{"level": {"below": 1, ...}, "predicate": {"sangat_kurang": 1, ...}}')
    source = serializers.CharField(help_text="where the codes come from (a BKN letter, the SIASN manual)")


class RulesViewSet(viewsets.ViewSet):
    """The region's predicate matrix, distribution curve and appraisal settings."""

    permission_classes = [RegionRole]

    def list(self, request):
        settings_row = selectors.appraisal_settings()
        return Response({
            "predicate_matrix": PredicateRuleSerializer(selectors.predicate_rules(), many=True).data,
            "distribution_curve": CurveRuleSerializer(selectors.curve_rules(), many=True).data,
            "settings": {
                "curve_enforcement": settings_row.curve_enforcement,
                "objection_window_days": settings_row.objection_window_days,
                "peer_minimum_respondents": settings_row.peer_minimum_respondents,
                "realisation_grace_days": settings_row.realisation_grace_days,
                "head_work_result": settings_row.head_work_result,
                "siasn_codes": settings_row.siasn_codes,
                "siasn_codes_source": settings_row.siasn_source_shown,
            },
        })

    @extend_schema(request=SiasnCodesSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="siasn-codes", permission_classes=[AppraisalRulesManager])
    def siasn_codes(self, request):
        """HR sets the codes the SIASN exports send, with the source they come from."""
        payload = SiasnCodesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        saved = services.set_siasn_codes(actor=request.user, codes=payload.validated_data["codes"],
                                         source=payload.validated_data["source"])
        return Response({"siasn_codes": saved.siasn_codes, "siasn_codes_source": saved.siasn_codes_source})


# --- SKP plans ----------------------------------------------------------------------------------
class IkiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Iki
        fields = ["id", "text", "aspect", "target_value", "target_unit", "target_text", "template_code", "measured_by"]


class RhkSerializer(serializers.ModelSerializer):
    ikis = IkiSerializer(many=True, read_only=True)

    class Meta:
        model = Rhk
        fields = ["id", "kind", "text", "parent", "ikis"]


class PlanSerializer(QuickRepresentation, serializers.ModelSerializer):
    year = serializers.IntegerField(source="appraisal_year.year", read_only=True)
    employee_nip = serializers.CharField(source="employee.nip", read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    appraiser_nip = serializers.CharField(source="appraiser.nip", read_only=True)
    appraiser_name = serializers.CharField(source="appraiser.full_name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = SkpPlan
        fields = ["id", "year", "employee", "employee_nip", "employee_name", "appraiser", "appraiser_nip",
                  "appraiser_name", "unit", "unit_code", "status", "revision", "return_comment"]


class PlanDetailSerializer(PlanSerializer):
    rhks = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["rhks"]

    @extend_schema_field(RhkSerializer(many=True))
    def get_rhks(self, plan):
        return RhkSerializer(selectors.plan_rhks(plan), many=True).data


class PlanCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    employee = serializers.IntegerField(required=False, help_text="Employee id (HR only); default: yourself.")


class RhkCreateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True)


class IkiCreateSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    aspect = serializers.CharField(required=False, allow_blank=True, default="")
    target_value = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    target_unit = serializers.CharField(required=False, allow_blank=True, default="")
    target_text = serializers.CharField(required=False, allow_blank=True, default="")
    template_code = serializers.CharField(required=False, allow_blank=True, default="")
    measured_by = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None,
                                        help_text="'', 'daily_log_sum', 'daily_logs_verified_same_day' or 'training_jp'; "
                                                  "omitted: as the template says")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AppraiserSerializer(serializers.Serializer):
    appraiser = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """SKP plans the caller may see; writes follow the plan's state machine."""

    permission_classes = [RegionRole]

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    def get_queryset(self):
        plans = selectors.visible_plans(self.request.user)
        if (year := integer_param(self.request.query_params, "year")) is not None:
            plans = plans.filter(appraisal_year__year=year)
        if status_ := self.request.query_params.get("status"):
            plans = plans.filter(status=status_)
        return plans

    def _plan(self, pk) -> SkpPlan:
        plan = self.get_queryset().filter(pk=pk).first()
        if plan is None:
            raise exceptions.NotFound()
        return plan

    def _detail(self, plan, code=status.HTTP_200_OK):
        return Response(PlanDetailSerializer(SkpPlan.objects.select_related(
            "employee", "appraiser", "appraisal_year", "unit").get(pk=plan.pk)).data, status=code)

    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appraisal_year = AppraisalYear.objects.filter(year=data.validated_data["year"]).first()
        if appraisal_year is None:
            raise exceptions.ValidationError(
                {"year": _("No appraisal year %(year)s.") % {"year": data.validated_data["year"]}})
        if "employee" in data.validated_data:
            # Only among the employees the caller sees, so another's existence is not confirmed by a refusal.
            employee = visible_employees(request.user).filter(pk=data.validated_data["employee"]).first()
        else:
            employee = selectors.employee_of(request.user)
        if employee is None:
            raise exceptions.ValidationError({"employee": _("No such employee.")})
        plan = services.create_plan(actor=request.user, employee=employee, appraisal_year=appraisal_year)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def rhks(self, request, pk=None):
        plan = self._plan(pk)
        data = RhkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data.get("parent"):
            parent = Rhk.objects.select_related("plan").filter(pk=data.validated_data["parent"]).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": _("No such RHK.")})
        services.add_rhk(actor=request.user, plan=plan, kind=data.validated_data["kind"],
                         text=data.validated_data["text"], parent=parent)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def ikis(self, request, pk=None):
        plan = self._plan(pk)
        data = IkiCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rhk = Rhk.objects.filter(pk=values.pop("rhk"), plan=plan).first()
        if rhk is None:
            raise exceptions.ValidationError({"rhk": _("No such RHK in this plan.")})
        services.add_iki(actor=request.user, rhk=rhk, **values)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def appraiser(self, request, pk=None):
        """HR names another appraiser (employee id), with a reason."""
        plan = self._plan(pk)
        data = AppraiserSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appraiser = Employee.objects.filter(pk=data.validated_data["appraiser"]).first()
        if appraiser is None:
            raise exceptions.ValidationError({"appraiser": _("No such employee.")})
        return self._detail(services.set_appraiser(actor=request.user, plan=plan, appraiser=appraiser,
                                                   reason=data.validated_data["reason"]))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._detail(services.submit_plan(actor=request.user, plan=self._plan(pk)))

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.return_plan(actor=request.user, plan=self._plan(pk),
                                                 comment=data.validated_data["comment"]))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._detail(services.approve_plan(actor=request.user, plan=self._plan(pk)))

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.reopen_plan(actor=request.user, plan=self._plan(pk),
                                                 reason=data.validated_data["reason"]))

    @download(PDF)
    @action(detail=True, methods=["get"], url_path="skp-pdf")
    def skp_pdf(self, request, pk=None):
        """The SKP document (PDF), as on the plan's page."""
        plan = selectors.document_plan(self._plan(pk))
        pdf = exports.skp_pdf(plan, selectors.plan_rhks(plan), list(selectors.ratings_of(plan)),
                              letterhead.region_letterhead())
        return _pdf_response(pdf, exports.skp_filename(plan))

    @download(PDF)
    @action(detail=True, methods=["get"], url_path="evaluation-pdf")
    def evaluation_pdf(self, request, pk=None):
        """The evaluation document (PDF) of a delivered rating: `?period=<number>`, or the year without it."""
        plan = selectors.document_plan(self._plan(pk))
        rating = selectors.delivered_rating(plan, request.query_params.get("period"))
        if rating is None:
            raise exceptions.NotFound(_("No delivered rating for this period."))
        pdf = exports.evaluation_pdf(plan, rating, selectors.plan_rhks(plan),
                                     list(selectors.realisations_of(plan, rating.period)), letterhead.region_letterhead())
        return _pdf_response(pdf, exports.evaluation_filename(plan, rating))


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- realisation, evidence, feedback, self-reports ----------------------------------------------
class EvidenceSerializer(serializers.ModelSerializer):
    filename = serializers.CharField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "title", "filename", "uploaded_at"]


class RealisationSerializer(serializers.ModelSerializer):
    period = serializers.IntegerField(source="period.number", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Realisation
        fields = ["id", "iki", "period", "value", "text", "evidence", "updated_at"]


class RealisationWriteSerializer(serializers.Serializer):
    iki = serializers.IntegerField()
    period = serializers.IntegerField(help_text="Period number within the year.")
    value = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class FeedbackSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True, default="")
    replies = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["id", "rhk", "author", "body", "created_at", "replies"]

    def get_replies(self, message):
        return [{"id": r.id, "author": r.author.display_name if r.author else "", "body": r.body,
                 "created_at": r.created_at} for r in message.replies.all()]


class FeedbackWriteSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    body = serializers.CharField(allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True)


class SelfReportSerializer(serializers.ModelSerializer):
    period = serializers.IntegerField(source="period.number")

    class Meta:
        model = SelfReport
        fields = ["period", "achievements", "obstacles", "improvement_plan", "updated_at"]
        read_only_fields = ["updated_at"]


class PlanActivityMixin:
    """Realisation, evidence, feedback and self-reports of a plan (nested under /plans/<id>/)."""

    def _period(self, plan, number):
        period = selectors.period_of_plan(plan, number)
        if period is None:
            raise exceptions.ValidationError({"period": _("No period %(number)s in %(year)s.") % {
                "number": number, "year": plan.appraisal_year.year}})
        return period

    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONObjectParser])
    def realisations(self, request, pk=None):
        plan = self._plan(pk)
        if request.method == "GET":
            period = self._period(plan, request.query_params["period"]) if request.query_params.get("period") else None
            return Response(RealisationSerializer(selectors.realisations_of(plan, period), many=True).data)
        data = RealisationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        iki = selectors.iki_of_plan(plan, values["iki"])
        if iki is None:
            raise exceptions.ValidationError({"iki": _("No such IKI in this plan.")})
        realisation = services.record_realisation_with_evidence(
            actor=request.user, iki=iki, period=self._period(plan, values["period"]), value=values["value"],
            text=values["text"], file=values.get("file"), title=values["title"])
        return Response(RealisationSerializer(selectors.realisations_of(plan).get(pk=realisation.pk)).data,
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"])
    def feedback(self, request, pk=None):
        plan = self._plan(pk)
        if request.method == "GET":
            threads = [m for messages in selectors.feedback_threads(plan).values() for m in messages]
            return Response(FeedbackSerializer(threads, many=True).data)
        data = FeedbackWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = Rhk.objects.select_related("plan__employee", "plan__appraiser").filter(
            pk=data.validated_data["rhk"], plan=plan).first()
        if rhk is None:
            raise exceptions.ValidationError({"rhk": _("No such RHK in this plan.")})
        parent = None
        if data.validated_data.get("parent"):
            parent = Feedback.objects.filter(pk=data.validated_data["parent"], rhk__plan=plan).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": _("No such feedback in this plan.")})
        message = services.post_feedback(actor=request.user, rhk=rhk, body=data.validated_data["body"], parent=parent)
        return Response({"id": message.pk, "rhk": rhk.pk, "parent": message.parent_id, "body": message.body},
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"], url_path="self-reports")
    def self_reports(self, request, pk=None):
        plan = self._plan(pk)
        if request.method == "GET":
            return Response(SelfReportSerializer(selectors.self_reports_of(plan), many=True).data)
        data = SelfReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        period = self._period(plan, values.pop("period")["number"])
        saved = services.save_self_report(actor=request.user, plan=plan, period=period, **values)
        return Response(SelfReportSerializer(saved).data, status=status.HTTP_201_CREATED)


# --- ratings and peer input ---------------------------------------------------------------------
class RatingSerializer(serializers.ModelSerializer):
    period = serializers.IntegerField(source="period.number", read_only=True, default=None)

    class Meta:
        model = Rating
        fields = ["id", "period", "work_result", "behaviour", "behaviour_values", "predicate", "predicate_source",
                  "reason", "adjustment_reason", "rated_at", "delivered_at"]


class RatingWriteSerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, allow_null=True, help_text="Period number; empty: annual.")
    work_result = serializers.CharField()
    behaviour = serializers.CharField()
    behaviour_values = serializers.DictField(child=serializers.CharField())
    reason = serializers.CharField(allow_blank=True)


class PeriodChoiceSerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, allow_null=True)


class PeerInputWriteSerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, allow_null=True)
    behaviour_values = serializers.DictField(child=serializers.CharField())
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PlanRatingMixin:
    def _optional_period(self, plan, number):
        return self._period(plan, number) if number else None

    @action(detail=True, methods=["get", "post"])
    def ratings(self, request, pk=None):
        plan = self._plan(pk)
        if request.method == "GET":
            return Response(RatingSerializer(selectors.ratings_of(plan), many=True).data)
        data = RatingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        period = self._optional_period(plan, values.pop("period", None))
        rating = services.rate(actor=request.user, plan=plan, period=period, **values)
        return Response(RatingSerializer(selectors.ratings_of(plan).get(pk=rating.pk)).data,
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        plan = self._plan(pk)
        data = PeriodChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = selectors.rating_of(plan, self._optional_period(plan, data.validated_data.get("period")))
        if rating is None:
            raise exceptions.ValidationError({"period": _("Not rated yet.")})
        services.deliver_rating(actor=request.user, rating=rating)
        return Response(RatingSerializer(selectors.ratings_of(plan).get(pk=rating.pk)).data)

    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """Transparency: targets, realisation by period, ratings with predicate, reasons and objection window."""
        plan = self._plan(pk)
        result = selectors.plan_result(plan)
        return Response({
            "criteria": {"predicate_matrix": PredicateRuleSerializer(result["matrix"], many=True).data,
                         "behaviour_values": result["behaviour_values"]},
            "indicators": [{"rhk": row["rhk"].text, "rhk_kind": row["rhk"].kind, "iki": row["iki"].text,
                            "aspect": row["iki"].aspect, "target": row["iki"].target_display,
                            "realisation": [{"period": p.number, "value": str(r.value) if r and r.value is not None else None,
                                             "text": r.text if r else ""}
                                            for p, r in zip(result["periods"], row["by_period"])]}
                           for row in result["indicators"]],
            "ratings": [{**RatingSerializer(row["rating"]).data,
                         "objection_deadline": row["window"]["deadline"] if row["window"] else None,
                         "objection_open": bool(row["window"] and row["window"]["open"]),
                         "objection_status": row["objection"].status if row["objection"] else None}
                        for row in result["ratings"]],
        })

    @action(detail=True, methods=["get"], url_path="peer-summary")
    def peer_summary(self, request, pk=None):
        plan = self._plan(pk)
        period = self._optional_period(plan, request.query_params.get("period"))
        return Response(selectors.peer_summary(plan, period))


class PeerInputViewSet(viewsets.ViewSet):
    """Colleagues' SKPs open for the caller's (anonymous) peer input; POST /<plan id>/ to answer."""

    permission_classes = [TakingPart]

    def list(self, request):
        return Response([{"plan": p.pk, "employee_name": p.employee.full_name, "year": p.appraisal_year.year}
                         for p in selectors.peer_plans_for(request.user)])

    @extend_schema(request=PeerInputWriteSerializer)
    def update(self, request, pk=None):
        plan = selectors.peer_plans_for(request.user).filter(pk=pk).first()
        if plan is None:
            raise exceptions.NotFound()
        data = PeerInputWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        number = values.pop("period", None)
        period = selectors.period_of_plan(plan, number) if number else None
        services.give_peer_input(actor=request.user, plan=plan, period=period, **values)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- organisation rating and calibration --------------------------------------------------------
def _check_data(check) -> dict | None:
    if check is None:
        return None
    return {"total": check.total, "counts": check.counts, "ok": check.ok,
            "lines": [{"bound": line.bound, "predicates": line.predicates, "limit": str(line.limit),
                       "count": line.count, "share": str(line.share), "ok": line.ok, "text": line.text}
                      for line in check.lines]}


class UnitRatingWriteSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    year = serializers.IntegerField()
    rating = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CalibrateSerializer(serializers.Serializer):
    predicate = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class CalibrationViewSet(viewsets.ViewSet):
    """GET ?year=: each rated unit's distribution against the curve with its staff's annual ratings (HR,
    leadership, auditors). POST unit-ratings/ sets a unit's rating; POST <rating id>/calibrate/ adjusts a
    predicate with a reason (HR)."""

    permission_classes = [RegionWideReader]

    def _year(self, value):
        appraisal_year = AppraisalYear.objects.filter(year=value).first() if value else None
        if appraisal_year is None:
            raise exceptions.ValidationError({"year": _("Give an existing appraisal year.")})
        return appraisal_year

    def list(self, request):
        overview = selectors.calibration_overview(self._year(integer_param(request.query_params, "year")))
        return Response([{
            "unit": block["unit_rating"].unit.code if block["unit_rating"] else None,
            "organisation_rating": block["unit_rating"].rating if block["unit_rating"] else None,
            "curve": _check_data(block["check"]),
            "ratings": [{"id": r.pk, "nip": r.plan.employee.nip, "name": r.plan.employee.full_name,
                         "unit": r.plan.unit.code, "work_result": r.work_result, "behaviour": r.behaviour,
                         "predicate": r.predicate, "predicate_source": r.predicate_source,
                         "delivered": r.delivered_at is not None} for r in block["ratings"]],
        } for block in overview])

    @extend_schema(request=UnitRatingWriteSerializer)
    @action(detail=False, methods=["post"], url_path="unit-ratings")
    def unit_ratings(self, request):
        data = UnitRatingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": _("No such unit.")})
        unit_rating = services.set_unit_rating(actor=request.user, unit=unit,
                                               appraisal_year=self._year(data.validated_data["year"]),
                                               rating=data.validated_data["rating"], reason=data.validated_data["reason"])
        return Response({"unit": unit.code, "year": unit_rating.appraisal_year.year, "rating": unit_rating.rating,
                         "curve": _check_data(selectors.unit_curve_check(unit_rating))}, status=status.HTTP_201_CREATED)

    @extend_schema(request=CalibrateSerializer)
    @action(detail=True, methods=["post"])
    def calibrate(self, request, pk=None):
        rating = Rating.objects.filter(pk=pk).first()
        if rating is None:
            raise exceptions.NotFound()
        data = CalibrateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.calibrate(actor=request.user, rating=rating, **data.validated_data)
        return Response(RatingSerializer(rating).data)


# --- objections ---------------------------------------------------------------------------------
class ObjectionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="rating.plan_id", read_only=True)
    period = serializers.IntegerField(source="rating.period.number", read_only=True, default=None)
    employee_nip = serializers.CharField(source="rating.plan.employee.nip", read_only=True)
    decider_nip = serializers.CharField(source="decider.nip", read_only=True)
    predicate = serializers.CharField(source="rating.predicate", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "plan", "period", "employee_nip", "filed_at", "deadline", "reasons", "decider_nip",
                  "appraiser_response", "status", "decision", "decided_at", "previous_predicate", "predicate"]


class ObjectionFileSerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, allow_null=True)
    reasons = serializers.CharField(allow_blank=True)


class ObjectionDecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(allow_blank=True)
    work_result = serializers.CharField(required=False, allow_blank=True, default="")
    behaviour = serializers.CharField(required=False, allow_blank=True, default="")


class ResponseSerializer(serializers.Serializer):
    response = serializers.CharField(allow_blank=True)


class PlanObjectionMixin:
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        plan = self._plan(pk)
        data = ObjectionFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = data.validated_data.get("period")
        rating = selectors.rating_of(plan, self._period(plan, number) if number else None)
        if rating is None:
            raise exceptions.ValidationError({"period": _("Not rated yet.")})
        objection = services.file_objection(actor=request.user, rating=rating, reasons=data.validated_data["reasons"])
        return Response(ObjectionSerializer(selectors.visible_objections(request.user).get(pk=objection.pk)).data,
                        status=status.HTTP_201_CREATED)


class ObjectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Objections the caller filed, gave the result for, or decides (HR and read-only roles: all)."""

    permission_classes = [RegionRole]
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        return selectors.visible_objections(self.request.user)

    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        data = ResponseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.respond_to_objection(actor=request.user, objection=self.get_object(),
                                                  response=data.validated_data["response"])
        return Response(self.get_serializer(self.get_queryset().get(pk=objection.pk)).data)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = ObjectionDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.decide_objection(actor=request.user, objection=self.get_object(), **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=objection.pk)).data)


# --- rewards and sanctions ----------------------------------------------------------------------
class RewardSanctionSerializer(serializers.ModelSerializer):
    employee_nip = serializers.CharField(source="employee.nip", read_only=True)

    class Meta:
        model = RewardSanction
        fields = ["id", "employee", "employee_nip", "kind", "category", "severity", "description", "starts_on",
                  "duration_months", "ends_on", "percent", "recorded_at", "revoked_at", "revoke_reason"]
        read_only_fields = ["ends_on", "recorded_at", "revoked_at", "revoke_reason"]


class RewardSanctionViewSet(viewsets.ReadOnlyModelViewSet):
    """Rewards and sanctions: HR records and revokes; region-wide roles read all; an employee their own."""

    permission_classes = [RegionRole]
    serializer_class = RewardSanctionSerializer

    def get_queryset(self):
        records = selectors.visible_rewards_sanctions(self.request.user)
        if (employee := integer_param(self.request.query_params, "employee")) is not None:
            records = records.filter(employee_id=employee)
        return records

    def create(self, request):
        data = RewardSanctionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_reward_sanction(actor=request.user, **data.validated_data)
        return Response(RewardSanctionSerializer(record).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.revoke_reward_sanction(actor=request.user, record=self.get_object(),
                                                 reason=data.validated_data["reason"])
        return Response(RewardSanctionSerializer(record).data)


# --- exports ------------------------------------------------------------------------------------
class ExportViewSet(viewsets.ViewSet):
    """Delivered results in the national system's shapes: skp22/?year= (annual) and
    kinerjaperiodik/?year=&period= (periodic)."""

    permission_classes = [RegionWideReader]

    def _year(self, request):
        appraisal_year = AppraisalYear.objects.filter(year=integer_param(request.query_params, "year") or 0).first()
        if appraisal_year is None:
            raise exceptions.ValidationError({"year": _("Give an existing appraisal year.")})
        return appraisal_year

    @action(detail=False, methods=["get"])
    def skp22(self, request):
        return Response(selectors.skp22_rows(self._year(request)))

    @action(detail=False, methods=["get"])
    def kinerjaperiodik(self, request):
        period = request.query_params.get("period")
        return Response(selectors.periodic_rows(self._year(request), int(period) if period and period.isdecimal() else None))


class IndicatorTemplateViewSet(viewsets.ViewSet):
    """Indicator templates per agency type (?agency_type=health|education|public_service)."""

    permission_classes = [RegionRole]

    def list(self, request):
        agency_type = request.query_params.get("agency_type") or None
        if agency_type and agency_type not in AgencyType.values:
            raise exceptions.ValidationError(
                {"agency_type": _("One of: %(values)s.") % {"values": ", ".join(AgencyType.values)}})
        return Response([t.as_dict() for t in indicator_templates(agency_type)])


class PlanViewSetWithActivity(PlanObjectionMixin, PlanRatingMixin, PlanActivityMixin, PlanViewSet):
    """SKP plans with their realisation, evidence, feedback and self-reports."""


# --- daily work log (laporan harian) -------------------------------------------------------------
class DailyLogSerializer(QuickRepresentation, serializers.ModelSerializer):
    employee = serializers.CharField(source="plan.employee.full_name", read_only=True)
    nip = serializers.CharField(source="plan.employee.nip", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = DailyLog
        fields = ["id", "plan", "employee", "nip", "date", "rhk", "iki", "activity", "quantity", "evidence", "status",
                  "submitted_at", "verifier_comment", "verified_at", "verified_same_day"]

    def get_evidence(self, log) -> str | None:
        if not log.evidence:
            return None
        request = self.context.get("request")
        path = reverse("appraisal:daily-log-evidence", args=[log.pk])
        return request.build_absolute_uri(path) if request else path


class DailyLogWriteSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    iki = serializers.IntegerField(required=False, allow_null=True, default=None)
    date = serializers.DateField()
    activity = serializers.CharField(allow_blank=True)
    quantity = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class DailyLogDecisionSerializer(serializers.Serializer):
    logs = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DailyLogViewSet(viewsets.ModelViewSet):
    """Daily work log entries: an employee's own (written by them), their appraisees' (verified or
    returned in bulk by `verify` and `return`, all or none), every entry for region-wide readers.
    Filters: ?status=, ?date_from=, ?date_to=, ?plan=, ?pending=1 (awaiting the caller's verification)."""

    permission_classes = [capability_permission("appraisal.read", write="appraisal.take_part")]
    serializer_class = DailyLogSerializer
    parser_classes = [MultiPartParser, FormParser, JSONObjectParser]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self):
        params = self.request.query_params
        logs = (selectors.daily_logs_to_verify(self.request.user) if params.get("pending")
                else selectors.visible_daily_logs(self.request.user).order_by("-date", "-id"))
        filters = {"status": params.get("status"), "date__gte": params.get("date_from"),
                   "date__lte": params.get("date_to"), "plan_id": params.get("plan")}
        try:
            return logs.filter(**{key: value for key, value in filters.items() if value})
        except (DjangoValidationError, ValueError):
            raise exceptions.ValidationError(
                {"filter": _("Dates are YYYY-MM-DD and a plan is named by its number.")}) from None

    def _fields(self, data, rhks) -> dict:
        """The entry's fields; `rhks` are those it may name (the caller's own, or the entry's plan's)."""
        values = DailyLogWriteSerializer(data=data)
        values.is_valid(raise_exception=True)
        values = dict(values.validated_data)
        rhk = rhks.select_related("plan__employee", "plan__appraiser", "plan__appraisal_year").filter(
            pk=values.pop("rhk")).first()
        if rhk is None:
            raise exceptions.ValidationError({"rhk": _("No such RHK in your SKP.")})
        iki_id = values.pop("iki")
        iki = selectors.iki_of_plan(rhk.plan, iki_id) if iki_id else None
        if iki_id and iki is None:
            raise exceptions.ValidationError({"iki": _("No such IKI in your SKP.")})
        return {"rhk": rhk, "iki": iki, "file": values.pop("evidence"), **values}

    def create(self, request):
        own = Rhk.objects.filter(plan__employee__user=request.user)
        log = services.record_daily_log(actor=request.user, **self._fields(request.data, own))
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        log = self.get_object()
        services.update_daily_log(actor=request.user, log=log,
                                  **self._fields(request.data, Rhk.objects.filter(plan_id=log.plan_id)))
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data)

    def destroy(self, request, pk=None):
        services.delete_daily_log(actor=request.user, log=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _decide(self, request, decide):
        data = DailyLogDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        logs = decide(data.validated_data)
        return Response({"count": len(logs), "logs": self.get_serializer(logs, many=True).data})

    @action(detail=False, methods=["post"])
    def verify(self, request):
        return self._decide(request, lambda data: services.verify_daily_logs(actor=request.user,
                                                                             log_ids=data["logs"]))

    @action(detail=False, methods=["post"], url_path="return")
    def return_entries(self, request):
        return self._decide(request, lambda data: services.return_daily_logs(
            actor=request.user, log_ids=data["logs"], comment=data["comment"]))


# --- bulk work ----------------------------------------------------------------------------------
class BulkChoiceSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.IntegerField(), allow_empty=False,
                                 help_text="ids of the chosen plans, ratings or employees")


class BulkOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="omit for the whole region")
    rows = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=False,
                                 help_text="ids of the chosen employees; omit for every one without an SKP")
    source = serializers.ChoiceField(choices=bulk.OPEN_SOURCES, default="previous",
                                     help_text="copy last year's plan, or the position's (else unit's) template")


class BulkRecordSerializer(serializers.Serializer):
    nips = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=False)
    kind = serializers.CharField()
    category = serializers.CharField(allow_blank=True, max_length=60)
    severity = serializers.CharField(required=False, allow_blank=True, default="", max_length=6)
    starts_on = serializers.DateField(help_text="any day of the first month")
    duration_months = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class BulkViewSet(viewsets.ViewSet):
    """Bulk appraisal work, each with `.../preview/` (nothing changes; every row says what would happen or
    why it is refused) and `.../apply/` (all rows or none: 400 with every row when one is refused)."""
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "appraisal.take_part", "open_preview": "appraisal.manage",
                    "open_apply": "appraisal.manage", "records_preview": "appraisal.manage",
                    "records_apply": "appraisal.manage"}

    @staticmethod
    def _answer(run, apply: bool):
        try:
            rows = run(apply)
        except bulk.BulkRefused as refused:
            return Response({"detail": str(refused), "applied": False,
                             "rows": [row.as_dict() for row in refused.rows]}, status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict")
                                             else {"rows": error.messages}) from error
        return Response({"applied": apply, "rows": [row.as_dict() for row in rows]})

    def _choice(self, request):
        data = BulkChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["rows"]

    def _approve(self, request, apply):
        rows = self._choice(request)
        return self._answer(lambda apply: bulk.approve_plans(actor=request.user, plan_ids=rows, apply=apply), apply)

    def _deliver(self, request, apply):
        rows = self._choice(request)
        return self._answer(lambda apply: bulk.deliver_ratings(actor=request.user, rating_ids=rows, apply=apply),
                            apply)

    def _open(self, request, apply):
        data = BulkOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = None
        if data.validated_data.get("unit") is not None:
            unit = Unit.objects.filter(pk=data.validated_data["unit"]).first()
            if unit is None:
                raise exceptions.NotFound(_("No such unit."))
        return self._answer(lambda apply: bulk.open_plans(
            actor=request.user, year=data.validated_data["year"], unit=unit,
            employee_ids=data.validated_data.get("rows"), apply=apply, source=data.validated_data["source"]), apply)

    def _records(self, request, apply):
        data = BulkRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(lambda apply: bulk.record_rewards_sanctions(
            actor=request.user, apply=apply, **data.validated_data), apply)

    @extend_schema(request=BulkRecordSerializer)
    @action(detail=False, methods=["post"], url_path="rewards-sanctions/preview")
    def records_preview(self, request):
        """The same reward or sanction for every NIP: what would be recorded; nothing changes."""
        return self._records(request, False)

    @extend_schema(request=BulkRecordSerializer)
    @action(detail=False, methods=["post"], url_path="rewards-sanctions/apply")
    def records_apply(self, request):
        """Record them all, or none (400 with every row when one is refused)."""
        return self._records(request, True)

    @extend_schema(request=BulkChoiceSerializer)
    @action(detail=False, methods=["post"], url_path="approve-plans/preview")
    def approve_preview(self, request):
        return self._approve(request, False)

    @extend_schema(request=BulkChoiceSerializer)
    @action(detail=False, methods=["post"], url_path="approve-plans/apply")
    def approve_apply(self, request):
        return self._approve(request, True)

    @extend_schema(request=BulkChoiceSerializer)
    @action(detail=False, methods=["post"], url_path="deliver-ratings/preview")
    def deliver_preview(self, request):
        return self._deliver(request, False)

    @extend_schema(request=BulkChoiceSerializer)
    @action(detail=False, methods=["post"], url_path="deliver-ratings/apply")
    def deliver_apply(self, request):
        return self._deliver(request, True)

    @extend_schema(request=BulkOpenSerializer)
    @action(detail=False, methods=["post"], url_path="open-plans/preview")
    def open_preview(self, request):
        return self._open(request, False)

    @extend_schema(request=BulkOpenSerializer)
    @action(detail=False, methods=["post"], url_path="open-plans/apply")
    def open_apply(self, request):
        return self._open(request, True)


# --- plan templates -----------------------------------------------------------------------------
class PlanTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanTemplate
        fields = ["id", "name", "position", "unit", "content", "updated_at"]


class PlanTemplateWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    position = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    content = serializers.JSONField(required=False, help_text="[{kind, text, ikis: [{text, aspect, target_value, "
                                                              "target_unit, target_text, measured_by}]}]")
    from_plan = serializers.IntegerField(required=False, allow_null=True, help_text="copy this SKP's results")


class PlanTemplateViewSet(viewsets.ModelViewSet):
    """The region's plan templates, one per position or unit (HR): saving one for a position or unit
    that has one replaces it."""
    permission_classes = [capability_permission("appraisal.manage")]
    serializer_class = PlanTemplateSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return PlanTemplate.objects.order_by("name", "pk")

    def create(self, request):
        data = PlanTemplateWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def find(model, key, message):
            if values.get(key) is None:
                return None
            found = model.objects.filter(pk=values[key]).first()
            if found is None:
                raise exceptions.ValidationError({key: [message]})
            return found

        template = plan_templates.save_template(
            actor=request.user, name=values["name"], content=values.get("content"),
            from_plan=find(SkpPlan, "from_plan", _("No SKP with this number.")),
            position=find(Position, "position", _("No such position.")), unit=find(Unit, "unit", _("No such unit.")))
        return Response(PlanTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        plan_templates.delete_template(actor=request.user, template=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("appraisal/plan-templates", PlanTemplateViewSet, basename="appraisal-plan-template")
    router.register("appraisal/years", AppraisalYearViewSet, basename="appraisal-year")
    router.register("appraisal/rules", RulesViewSet, basename="appraisal-rules")
    router.register("appraisal/plans", PlanViewSetWithActivity, basename="appraisal-plan")
    router.register("appraisal/calibration", CalibrationViewSet, basename="appraisal-calibration")
    router.register("appraisal/objections", ObjectionViewSet, basename="appraisal-objection")
    router.register("appraisal/rewards-sanctions", RewardSanctionViewSet, basename="appraisal-reward-sanction")
    router.register("appraisal/exports", ExportViewSet, basename="appraisal-export")
    router.register("appraisal/peer-input", PeerInputViewSet, basename="appraisal-peer-input")
    router.register("appraisal/indicator-templates", IndicatorTemplateViewSet, basename="appraisal-indicator-template")
    router.register("appraisal/daily-logs", DailyLogViewSet, basename="appraisal-daily-log")
    router.register("appraisal/bulk", BulkViewSet, basename="appraisal-bulk")
