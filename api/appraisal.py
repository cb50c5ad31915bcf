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


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("appraisal/years", AppraisalYearViewSet, basename="appraisal-year")
    router.register("appraisal/rules", RulesViewSet, basename="appraisal-rules")
