"""Logins, roles, API tokens and acting supervisors over the API. Everything goes through
kinerja.logins.services and kinerja.people.services, so the API keeps the pages' rules and audit.

How to get a token: sign in to the site, open "My API tokens" (/me/tokens/), name the token and give
its last day; the token is shown once. Or, signed in, POST /api/v1/tokens/ with {"name", "expires_on"}.
Send it as `Authorization: Token knj_...`."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from kinerja.accounts.models import GRANTABLE_ROLES, ApiToken
from django.conf import settings
from kinerja.logins import platform_logins, selectors, services
from kinerja.people import services as people_services
from kinerja.people.models import ActingKind, ActingSupervisor, Employee, EmployeeStatus
from kinerja.people.selectors import acting_supervisors, unit_by_code
from kinerja.region import facts
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.parsers import FormParser, JSONObjectParser, MultiPartParser
from api.permissions import capability_permission
from api.representation import QuickRepresentation
from api.schema import SOME_TEXT

LoginManager = capability_permission("accounts.manage")
PlatformLoginManager = capability_permission(platform_logins.MANAGE)
TokenHolder = capability_permission("accounts.self")


def site_url(request) -> str:
    return facts.site_url(request.tenant) + "/"


class LoginSerializer(QuickRepresentation, serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    employee_nip = serializers.CharField(source="employee.nip", default=None, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "email", "role", "roles", "is_active", "last_login", "employee_nip"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


def delivery_data(delivery: services.LinkDelivery) -> dict:
    return {"username": delivery.user.get_username(), "login_id": delivery.user.pk,
            "emailed_to": delivery.emailed_to or None,
            # the link is given only when HR must hand it over (no e-mail)
            "set_password_url": delivery.link if delivery.shown_to_hr else None}


def bulk_data(result: services.BulkResult) -> dict:
    return {"created": [delivery_data(d) for d in result.created],
            "skipped": [{"nip": e.nip, "reason": reason} for e, reason in result.skipped]}


class CreateLoginSerializer(serializers.Serializer):
    nip = serializers.SlugRelatedField(slug_field="nip", queryset=Employee.objects.all(),
                                       error_messages={"does_not_exist": _("no employee has NIP {value}")})


class BulkLoginSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True, help_text=_("unit code (with its sub-units)"))
    status = serializers.ChoiceField(choices=EmployeeStatus.choices, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, help_text=_("name or NIP prefix"))

    def validate_unit(self, value):
        if value and unit_by_code(value) is None:
            raise serializers.ValidationError(_("no unit has code %s") % value)
        return value


class SpreadsheetSerializer(serializers.Serializer):
    file = serializers.FileField()


class RoleChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[(role.value, role.label) for role in GRANTABLE_ROLES])
    reason = serializers.CharField(max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class LoginViewSet(viewsets.ReadOnlyModelViewSet):
    """The region's logins (HR admins): create for employees (the NIP becomes the username), grant and
    revoke roles with a reason, deactivate."""

    serializer_class = LoginSerializer
    permission_classes = [LoginManager]
    parser_classes = [JSONObjectParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return get_user_model().objects.select_related("employee").order_by("username")

    @extend_schema(request=CreateLoginSerializer, responses={201: dict})
    def create(self, request):
        payload = CreateLoginSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        delivery = services.create_login(actor=request.user, employee=payload.validated_data["nip"],
                                         site_url=site_url(request))
        return Response(delivery_data(delivery), status=status.HTTP_201_CREATED)

    @extend_schema(request=BulkLoginSerializer, responses={201: dict})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Logins for every employee of a unit (or a filter) who has none."""
        payload = BulkLoginSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        employees = selectors.employees_for_logins(unit=unit_by_code(data.get("unit", "")), has_login="no",
                                                   status=data.get("status", ""), search=data.get("q", ""))
        result = services.create_logins(actor=request.user, employees=employees, site_url=site_url(request))
        return Response(bulk_data(result), status=status.HTTP_201_CREATED)

    @extend_schema(request=SpreadsheetSerializer, responses={201: dict})
    @action(detail=False, methods=["post"])
    def spreadsheet(self, request):
        """Logins for the NIPs of an .xlsx or CSV file (a column headed NIP, or the first column)."""
        payload = SpreadsheetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.create_logins_from_spreadsheet(actor=request.user, uploaded_file=payload.validated_data["file"],
                                                         site_url=site_url(request))
        return Response(bulk_data(result), status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleChangeSerializer, responses=LoginSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        payload = RoleChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.grant_role(actor=request.user, user=self.get_object(), **payload.validated_data)
        return Response(LoginSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=RoleChangeSerializer, responses=LoginSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        payload = RoleChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.revoke_role(actor=request.user, user=self.get_object(), **payload.validated_data)
        return Response(LoginSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=ReasonSerializer, responses=LoginSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.deactivate_login(actor=request.user, user=self.get_object(), **payload.validated_data)
        return Response(LoginSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"], url_path="set-password-link")
    def set_password_link(self, request, pk=None):
        delivery = services.resend_set_password_link(actor=request.user, user=self.get_object(),
                                                     site_url=site_url(request))
        return Response(delivery_data(delivery))


class TokenSerializer(QuickRepresentation, serializers.ModelSerializer):
    owner = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "owner", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class NewTokenSerializer(serializers.Serializer):
    name = serializers.RegexField(SOME_TEXT, max_length=100, help_text=_("what will use the token"))
    expires_on = serializers.DateField(help_text=_("the last day the token works"))


class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Personal API tokens: your own (HR admins see and revoke every token of the region). A new token
    is answered once, in `token`; only its hash is kept."""

    serializer_class = TokenSerializer
    permission_classes = [TokenHolder]

    def get_queryset(self):
        return selectors.visible_tokens(self.request.user)

    @extend_schema(request=NewTokenSerializer, responses={201: dict})
    def create(self, request):
        payload = NewTokenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = services.create_token(actor=request.user, **payload.validated_data)
        return Response({**TokenSerializer(created.token).data, "token": created.value},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.revoke_token(actor=request.user, token=self.get_object())
        return Response(TokenSerializer(token).data)


class ActingSerializer(serializers.ModelSerializer):
    acting_nip = serializers.SlugRelatedField(slug_field="nip", source="acting", queryset=Employee.objects.all(),
                                              error_messages={"does_not_exist": _("no employee has NIP {value}")})
    in_place_of_nip = serializers.SlugRelatedField(slug_field="nip", source="in_place_of",
                                                   queryset=Employee.objects.all(),
                                                   error_messages={"does_not_exist": _("no employee has NIP {value}")})
    kind = serializers.ChoiceField(choices=ActingKind.choices)

    class Meta:
        model = ActingSupervisor
        fields = ["id", "acting_nip", "in_place_of_nip", "kind", "starts_on", "ends_on", "decree_number", "reason"]


class ActingSupervisorViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Acting supervisors (Plt/Plh) for a date range: HR admins record and end them."""

    serializer_class = ActingSerializer
    permission_classes = [LoginManager]
    field_names = {"acting": "acting_nip", "in_place_of": "in_place_of_nip"}

    def shape_service_errors(self, errors: dict) -> dict:
        return {self.field_names.get(name, name): messages for name, messages in errors.items()}

    def get_queryset(self):
        return acting_supervisors()

    def perform_create(self, serializer):
        serializer.instance = people_services.appoint_acting_supervisor(actor=self.request.user,
                                                                        **serializer.validated_data)

    @extend_schema(request=ReasonSerializer, responses=ActingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = people_services.end_acting_supervisor(self.get_object(), actor=request.user,
                                                           reason=request.data.get("reason", ""))
        return Response(ActingSerializer(assignment).data if assignment else {"withdrawn": True})


class PlatformLoginSerializer(QuickRepresentation, serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor_account.vendor", default=None, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "email", "role", "vendor", "is_active", "last_login"]
        read_only_fields = fields


class NewPlatformLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True,
                                   help_text=_("the set-password link is e-mailed here; without it, it is returned"))
    role = serializers.ChoiceField(choices=["operator", "bkn_analyst", "plugin_vendor"])
    vendor = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                   help_text=_('plugin vendors only: as their plugins declare PLUGIN_META["vendor"]'))


class PlatformLoginReasonSerializer(ReasonSerializer):
    """Named apart from the regions' own reason in the platform's schema, where both appear."""


class PlatformLoginViewSet(viewsets.ReadOnlyModelViewSet):
    """The platform's own logins (operators only): operators, BKN analysts and plugin vendors. A new
    login gets a one-time set-password link (returned when no e-mail address is given)."""

    serializer_class = PlatformLoginSerializer
    permission_classes = [PlatformLoginManager]

    def get_queryset(self):
        return selectors.platform_logins()

    @extend_schema(request=NewPlatformLoginSerializer, responses={201: dict})
    def create(self, request):
        payload = NewPlatformLoginSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        delivery = platform_logins.create_platform_login(actor=request.user, site_url=settings.KINERJA_SITE_URL,
                                                         **payload.validated_data)
        return Response(delivery_data(delivery), status=status.HTTP_201_CREATED)

    @extend_schema(request=PlatformLoginReasonSerializer, responses=PlatformLoginSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        payload = PlatformLoginReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        platform_logins.close_platform_login(actor=request.user, user=self.get_object(), **payload.validated_data)
        return Response(PlatformLoginSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=PlatformLoginReasonSerializer, responses=PlatformLoginSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        payload = PlatformLoginReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        platform_logins.reopen_platform_login(actor=request.user, user=self.get_object(), **payload.validated_data)
        return Response(PlatformLoginSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"], url_path="set-password-link")
    def set_password_link(self, request, pk=None):
        delivery = platform_logins.resend_platform_link(actor=request.user, user=self.get_object(),
                                                        site_url=settings.KINERJA_SITE_URL)
        return Response(delivery_data(delivery))


def register(router) -> None:
    router.register("logins", LoginViewSet, basename="login")
    router.register("tokens", TokenViewSet, basename="token")
    router.register("acting-supervisors", ActingSupervisorViewSet, basename="acting-supervisor")


def register_public(router) -> None:
    router.register("tokens", TokenViewSet, basename="token")
    router.register("platform-logins", PlatformLoginViewSet, basename="platform-login")
