"""Appraisal endpoints of the region API. Reads go through the appraisal selectors and writes through its
services, so the API and the pages apply the same rules."""
from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import AppraisalPeriod, AppraisalYear, CurveRule, PredicateRule


class RegionRole(BasePermission):
    """Appraisal endpoints answer the region's own roles; what each sees is the selectors' business."""

    message = "Your role may not use this endpoint."

    def has_permission(self, request, view):
        return selectors.is_region_reader(request.user)


def service_errors(func):
    """Turn the services' Django errors into API errors (400 with field messages, 403)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            raise exceptions.ValidationError(detail) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error

    return wrapper


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
        fields = ["id", "year", "cadence", "periods"]


class YearCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cadence = serializers.CharField()


class PeriodWindowSerializer(serializers.Serializer):
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()


class AppraisalYearViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RegionRole]
    serializer_class = AppraisalYearSerializer
    lookup_field = "year"

    def get_queryset(self):
        return selectors.appraisal_years().prefetch_related("periods__appraisal_year")

    @service_errors
    def create(self, request):
        data = YearCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.create_appraisal_year(actor=request.user, **data.validated_data)
        return Response(AppraisalYearSerializer(self.get_queryset().get(pk=created.pk)).data,
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path=r"periods/(?P<number>\d+)/window")
    @service_errors
    def window(self, request, year=None, number=None):
        period = AppraisalPeriod.objects.select_related("appraisal_year").filter(
            appraisal_year__year=year, number=number).first()
        if period is None:
            raise exceptions.NotFound()
        data = PeriodWindowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_period_window(actor=request.user, period=period, **data.validated_data)
        return Response(PeriodSerializer(period).data)


class PredicateRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PredicateRule
        fields = ["work_result", "behaviour", "predicate", "note"]


class CurveRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CurveRule
        fields = ["organisation_rating", "predicates", "bound", "percent"]


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
            },
        })


# --- SKP plans ----------------------------------------------------------------------------------
from kinerja.appraisal.indicators import AgencyType, indicator_templates  # noqa: E402
from kinerja.appraisal.models import Iki, Rhk, SkpPlan  # noqa: E402
from kinerja.people.models import Employee  # noqa: E402


class IkiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Iki
        fields = ["id", "text", "aspect", "target_value", "target_unit", "target_text", "template_code"]


class RhkSerializer(serializers.ModelSerializer):
    ikis = IkiSerializer(many=True, read_only=True)

    class Meta:
        model = Rhk
        fields = ["id", "kind", "text", "parent", "ikis"]


class PlanSerializer(serializers.ModelSerializer):
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


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """SKP plans the caller may see; writes follow the plan's state machine."""

    permission_classes = [RegionRole]

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    def get_queryset(self):
        plans = selectors.visible_plans(self.request.user)
        if year := self.request.query_params.get("year"):
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

    @service_errors
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appraisal_year = AppraisalYear.objects.filter(year=data.validated_data["year"]).first()
        if appraisal_year is None:
            raise exceptions.ValidationError({"year": "No appraisal year %s." % data.validated_data["year"]})
        if "employee" in data.validated_data:
            employee = Employee.objects.select_related("supervisor").filter(pk=data.validated_data["employee"]).first()
        else:
            employee = selectors.employee_of(request.user)
        if employee is None:
            raise exceptions.ValidationError({"employee": "No such employee."})
        plan = services.create_plan(actor=request.user, employee=employee, appraisal_year=appraisal_year)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @service_errors
    def rhks(self, request, pk=None):
        plan = self._plan(pk)
        data = RhkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data.get("parent"):
            parent = Rhk.objects.select_related("plan").filter(pk=data.validated_data["parent"]).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": "No such RHK."})
        services.add_rhk(actor=request.user, plan=plan, kind=data.validated_data["kind"],
                         text=data.validated_data["text"], parent=parent)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @service_errors
    def ikis(self, request, pk=None):
        plan = self._plan(pk)
        data = IkiCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rhk = Rhk.objects.filter(pk=values.pop("rhk"), plan=plan).first()
        if rhk is None:
            raise exceptions.ValidationError({"rhk": "No such RHK in this plan."})
        services.add_iki(actor=request.user, rhk=rhk, **values)
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @service_errors
    def submit(self, request, pk=None):
        return self._detail(services.submit_plan(actor=request.user, plan=self._plan(pk)))

    @action(detail=True, methods=["post"], url_path="return")
    @service_errors
    def return_(self, request, pk=None):
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.return_plan(actor=request.user, plan=self._plan(pk),
                                                 comment=data.validated_data["comment"]))

    @action(detail=True, methods=["post"])
    @service_errors
    def approve(self, request, pk=None):
        return self._detail(services.approve_plan(actor=request.user, plan=self._plan(pk)))

    @action(detail=True, methods=["post"])
    @service_errors
    def reopen(self, request, pk=None):
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.reopen_plan(actor=request.user, plan=self._plan(pk),
                                                 reason=data.validated_data["reason"]))


class IndicatorTemplateViewSet(viewsets.ViewSet):
    """Indicator templates per agency type (?agency_type=health|education|public_service)."""

    permission_classes = [RegionRole]

    def list(self, request):
        agency_type = request.query_params.get("agency_type") or None
        if agency_type and agency_type not in AgencyType.values:
            raise exceptions.ValidationError({"agency_type": f"One of {', '.join(AgencyType.values)}."})
        return Response([t.as_dict() for t in indicator_templates(agency_type)])


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("appraisal/years", AppraisalYearViewSet, basename="appraisal-year")
    router.register("appraisal/rules", RulesViewSet, basename="appraisal-rules")
    router.register("appraisal/plans", PlanViewSet, basename="appraisal-plan")
    router.register("appraisal/indicator-templates", IndicatorTemplateViewSet, basename="appraisal-indicator-template")
