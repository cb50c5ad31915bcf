"""Regions on the public site's API: list and onboard (operator only), suspend, reactivate, archive."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import capability_permission
from api.schema import NO_NUL, SOME_TEXT
from tenants import services
from tenants.services import REGION_CODE_PATTERN, SLUG_PATTERN, USERNAME_PATTERN
from tenants.models import Region, RegionKind, RegionTimeZone
from tenants.selectors import regions


class RegionSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="schema_name", read_only=True)
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="domain")

    class Meta:
        model = Region
        fields = ["id", "slug", "name", "kind", "region_code", "province", "time_zone", "status",
                  "status_reason", "domains", "created_at"]
        read_only_fields = fields


def _text(pattern, message, **kwargs):
    """A text field whose pattern, stated in the schema, is the onboarding service's rule, refused with the
    service's own message."""
    return serializers.RegexField(pattern, error_messages={"invalid": message, "blank": message}, **kwargs)


class OnboardingSerializer(serializers.Serializer):
    """What the onboarding service checks, stated as the schema's patterns (uniqueness of the subdomain and
    the code aside)."""

    name = _text(SOME_TEXT, _("The region's name is required."), max_length=120)
    slug = _text(SLUG_PATTERN, _("Use 2-30 lowercase letters and digits, starting with a letter (it becomes the "
                                 "subdomain)."), max_length=30)
    kind = serializers.ChoiceField(choices=[k for k in RegionKind.values if k != RegionKind.PLATFORM])
    region_code = _text(REGION_CODE_PATTERN, _("The official code looks like 13 (province) or 13.75 (regency or "
                                               "city)."), max_length=5)
    province = _text(SOME_TEXT, _("Give the province."), max_length=80)
    time_zone = serializers.ChoiceField(choices=RegionTimeZone.values, default=RegionTimeZone.WIB)
    admin_name = _text(SOME_TEXT, _("The first HR admin's name is required."), max_length=200)
    admin_email = serializers.EmailField()
    admin_username = _text(USERNAME_PATTERN, _("A username has 2-150 letters, digits and @ . + - _ only."),
                           max_length=150, required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.RegexField(NO_NUL, required=False, allow_blank=True, default="")


class SuspendSerializer(serializers.Serializer):
    reason = _text(SOME_TEXT, _("Say why the region is suspended; its users will see it."))


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [capability_permission("regions.manage")]
    serializer_class = RegionSerializer
    filterset_fields = ("status", "kind", "province")

    def get_queryset(self):
        queryset = regions()
        for name in ("status", "kind", "province"):
            if value := self.request.query_params.get(name):
                queryset = queryset.filter(**{name: value})
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return OnboardingSerializer
        if self.action == "suspend":
            return SuspendSerializer
        if self.action in ("reactivate", "archive"):
            return ReasonSerializer
        return RegionSerializer

    def create(self, request):
        payload = OnboardingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.onboard_region(services.OnboardingRequest(**payload.validated_data), actor=request.user)
        return Response(
            {**RegionSerializer(result.region).data, "admin_username": result.admin_username,
             "set_password_url": result.set_password_url, "schema_created_by": result.schema_created_by},
            status=status.HTTP_201_CREATED,
        )

    def _lifecycle(self, request, service):
        payload = self.get_serializer_class()(data=request.data)
        payload.is_valid(raise_exception=True)
        region = service(self.get_object(), actor=request.user, reason=payload.validated_data["reason"])
        return Response(RegionSerializer(region).data)

    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._lifecycle(request, services.suspend_region)

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._lifecycle(request, services.reactivate_region)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._lifecycle(request, services.archive_region)
