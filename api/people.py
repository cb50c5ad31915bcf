"""People and organisation endpoints of a region's API. Reads go through the people selectors, so the
API shows exactly what the pages show; writes go through the people services, so the API obeys the same
rules as the pages and imports. Units, positions and supervisors are named by their codes and NIPs,
which is how HR systems know them."""
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from kinerja.people import career, exports, imports, leave, services
from kinerja.people.models import (
    CareerEvent,
    CareerEventKind,
    Employee,
    ImportBatch,
    ImportKind,
    ImportStatus,
    LeaveKind,
    LeaveRequest,
    Position,
    Unit,
)
from kinerja.people.selectors import (
    filter_employees,
    import_batches,
    unit_by_code,
    visible_employees,
)
from kinerja.region import facts
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.params import integer_param
from api.parsers import FormParser, JSONObjectParser, MultiPartParser
from api.permissions import capability_permission
from api.representation import QuickRepresentation
from api.schema import XLSX, download

# Everyone in the region may read employees (the selector narrows what they see); only HR writes.
EmployeeAccess = capability_permission("people.read", write="people.manage")
OrganisationReader = capability_permission("people.read_all", write="people.manage")
PeopleManager = capability_permission("people.manage")


class CodeField(serializers.SlugRelatedField):
    """A record named by its code or NIP. Text PostgreSQL cannot compare (a NUL character) names nothing."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\0"))
        return super().to_internal_value(data)


def _code_field(queryset, slug_field: str, message: str, **kwargs):
    return CodeField(slug_field=slug_field, queryset=queryset, error_messages={"does_not_exist": message}, **kwargs)


class ServiceFieldNames:
    """The services name a unit, position or supervisor by its model field; the API by its code or NIP.
    The exception handler (api.exceptions) asks here how to name the fields of a service's errors."""

    field_names: dict[str, str] = {}

    def shape_service_errors(self, errors: dict) -> dict:
        return {self.field_names.get(name, name): messages for name, messages in errors.items()}


class UnitSerializer(QuickRepresentation, serializers.ModelSerializer):
    parent_code = _code_field(Unit.objects.all(), "code", _("no unit has code {value}"), source="parent",
                              allow_null=True, required=False)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "unit_type", "parent", "parent_code", "path"]
        read_only_fields = ["parent", "path"]
        extra_kwargs = {"code": {"validators": []}}  # uniqueness is the service's rule, with its own message


class PositionSerializer(QuickRepresentation, serializers.ModelSerializer):
    position_class = serializers.IntegerField()  # the 1..17 rule is the service's, reported with the others

    class Meta:
        model = Position
        fields = ["id", "code", "title", "kind", "position_class", "retirement_age"]
        extra_kwargs = {"code": {"validators": []}, "retirement_age": {"validators": []}}


class EmployeeSerializer(QuickRepresentation, serializers.ModelSerializer):
    unit_code = _code_field(Unit.objects.all(), "code", _("no unit has code {value}"), source="unit")
    position_code = _code_field(Position.objects.all(), "code", _("no position has code {value}"), source="position")
    supervisor_nip = _code_field(Employee.objects.all(), "nip", _("no employee has NIP {value}"), source="supervisor",
                                 allow_null=True, required=False)
    rank = serializers.CharField(max_length=10)

    class Meta:
        model = Employee
        fields = ["id", "nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status",
                  "unit", "unit_code", "position", "position_code", "supervisor", "supervisor_nip", "email", "user",
                  "contract_ends_on"]
        read_only_fields = ["unit", "position", "supervisor", "user"]
        extra_kwargs = {"nip": {"validators": [], "max_length": 30}}


class UnitViewSet(ServiceFieldNames, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units of the region. Filters: `search` (code or name), `kind`, `within` (a unit code: its subtree)."""

    permission_classes = [OrganisationReader]
    serializer_class = UnitSerializer
    field_names = {"parent": "parent_code"}

    def get_queryset(self):
        units = Unit.objects.select_related("parent").order_by("path")
        params = self.request.query_params
        if search := params.get("search", "").strip():
            units = units.filter(name__icontains=search) | units.filter(code__icontains=search)
        if kind := params.get("kind"):
            units = units.filter(kind=kind)
        if within := params.get("within"):
            root = unit_by_code(within)
            units = units.filter(path__startswith=root.path) if root else units.none()
        return units

    def perform_create(self, serializer):
        serializer.instance = services.create_unit(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_unit(serializer.instance, actor=self.request.user,
                                                   **serializer.validated_data)


class PositionViewSet(ServiceFieldNames, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    """Positions (jabatan). Filters: `search` (code or title), `kind`, `position_class`."""

    permission_classes = [OrganisationReader]
    serializer_class = PositionSerializer

    def get_queryset(self):
        positions = Position.objects.all()
        params = self.request.query_params
        if search := params.get("search", "").strip():
            positions = positions.filter(title__icontains=search) | positions.filter(code__icontains=search)
        if kind := params.get("kind"):
            positions = positions.filter(kind=kind)
        if (position_class := integer_param(params, "position_class")) is not None:
            positions = positions.filter(position_class=position_class)
        return positions

    def perform_create(self, serializer):
        serializer.instance = services.create_position(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_position(serializer.instance, actor=self.request.user,
                                                       **serializer.validated_data)


class LinkUserSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), allow_null=True)


class CareerEventSerializer(serializers.ModelSerializer):
    position_code = serializers.CharField(source="position.code", read_only=True, default=None)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default=None)
    previous_position_code = serializers.CharField(source="previous_position.code", read_only=True)
    previous_unit_code = serializers.CharField(source="previous_unit.code", read_only=True)

    class Meta:
        model = CareerEvent
        fields = ["id", "kind", "effective_on", "sk_number", "sk_date", "position_code", "unit_code", "rank",
                  "previous_position_code", "previous_unit_code", "previous_rank", "note", "recorded_at"]


class CareerEventWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CareerEventKind.choices)
    effective_on = serializers.DateField()
    sk_number = serializers.CharField(max_length=100)
    sk_date = serializers.DateField(required=False, allow_null=True)
    position_code = serializers.CharField(required=False, allow_blank=True, default="")
    unit_code = serializers.CharField(required=False, allow_blank=True, default="")
    rank = serializers.CharField(required=False, allow_blank=True, default="", max_length=5)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EmployeeViewSet(ServiceFieldNames, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    """Employees the caller may see. Filters: `unit` (a unit code; its sub-units too unless `subunits=0`),
    `status`, `employee_type`, `search` (name or the start of a NIP). `export/` returns the same list as
    an XLSX file that the import reads back."""

    permission_classes = [EmployeeAccess]
    serializer_class = EmployeeSerializer
    field_names = {"unit": "unit_code", "position": "position_code", "supervisor": "supervisor_nip"}

    def get_queryset(self):
        employees = visible_employees(self.request.user)
        params = self.request.query_params
        unit = None
        if code := params.get("unit", "").strip():
            unit = unit_by_code(code)
            if unit is None:
                return employees.none()
        return filter_employees(employees, unit=unit, include_subunits=params.get("subunits", "1") != "0",
                                employee_type=params.get("employee_type", ""), status=params.get("status", ""),
                                search=params.get("search", "")).order_by("full_name", "id")

    def perform_create(self, serializer):
        serializer.instance = services.create_employee(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_employee(serializer.instance, actor=self.request.user,
                                                       **serializer.validated_data)

    @download(XLSX)
    @action(detail=False, methods=["get"], url_path="export", permission_classes=[PeopleManager])
    def export(self, request):
        response = HttpResponse(exports.export_employees(self.get_queryset()),
                                content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="pegawai.xlsx"'
        return response

    @action(detail=True, methods=["get", "post"], url_path="career")
    def career(self, request, pk=None):
        """The employee's career history (whoever may see the employee reads it); HR records a change
        with its decree (POST), applied to the record once its date has come."""
        employee = self.get_object()
        if request.method == "POST":
            data = CareerEventWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            position = unit = None
            if values["position_code"]:
                position = Position.objects.filter(code=values["position_code"]).first()
                if position is None:
                    raise serializers.ValidationError({"position_code": [_("No position has this code.")]})
            if values["unit_code"]:
                unit = unit_by_code(values["unit_code"])
                if unit is None:
                    raise serializers.ValidationError({"unit_code": [_("No unit has this code.")]})
            event = career.record_career_event(
                actor=request.user, employee=employee, kind=values["kind"], effective_on=values["effective_on"],
                sk_number=values["sk_number"], sk_date=values.get("sk_date"), position=position, unit=unit,
                rank=values["rank"], note=values["note"])
            return Response(CareerEventSerializer(event).data, status=status.HTTP_201_CREATED)
        return Response(CareerEventSerializer(career.history_of(employee), many=True).data)

    @action(detail=True, methods=["post"], url_path="link-user", permission_classes=[PeopleManager],
            serializer_class=LinkUserSerializer)
    def link_user(self, request, pk=None):
        employee = self.get_object()
        serializer = LinkUserSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.link_user(employee, serializer.validated_data["user"], actor=request.user)
        return Response(EmployeeSerializer(employee).data)


class ImportBatchSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, default=None)
    applied_by = serializers.CharField(source="applied_by.username", read_only=True, default=None)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "original_name", "status", "total_rows", "error_count", "to_create", "to_update",
                  "unchanged", "errors", "plan", "uploaded_by", "applied_by", "created_at", "applied_at",
                  "progress_done", "progress_total", "progress_at"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()


class ImportBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Spreadsheet imports. POST a file (multipart: `kind` = employees or units, `file`) to get the preview:
    every bad row with `row`, `field`, `reason`, or the planned changes. POST `{id}/apply/` to write it all
    (200), or nothing (400 with the reasons; 409 when the batch cannot be applied at all). A large file is
    read, and a large batch applied, by a worker: the answer is then 201 (status `reading`) or 202 (status
    `applying`), and GET `{id}/` shows `progress_done` of `progress_total` until the status changes.
    POST `{id}/discard/` sets aside a batch not applied, or one whose worker has reported nothing for
    five minutes (409 otherwise)."""

    permission_classes = [PeopleManager]
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser, JSONObjectParser]

    def get_queryset(self):
        return import_batches()

    def create(self, request):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        batch = imports.preview_import(kind=upload.validated_data["kind"], uploaded_file=upload.validated_data["file"],
                                       actor=request.user)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        try:
            batch = imports.apply_import(self.get_object(), actor=request.user)
        except imports.ImportRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        data = ImportBatchSerializer(batch).data
        if batch.status == ImportStatus.APPLYING:
            return Response(data, status=status.HTTP_202_ACCEPTED)
        return Response(data, status=status.HTTP_200_OK if batch.status == ImportStatus.APPLIED else status.HTTP_400_BAD_REQUEST)

    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        try:
            batch = imports.discard_import(self.get_object(), actor=request.user)
        except imports.ImportRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(ImportBatchSerializer(batch).data)


# --- leave (cuti) ---------------------------------------------------------------------------------
class LeaveSerializer(serializers.ModelSerializer):
    employee = serializers.CharField(source="employee.nip", read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = ["id", "employee", "employee_name", "kind", "starts_on", "ends_on", "working_days", "reason",
                  "child_order", "status", "decision_comment", "requested_at", "decided_at"]


class LeaveWriteSerializer(serializers.Serializer):
    employee = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="NIP; HR may request for someone else, an employee for themselves")
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    child_order = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    document = serializers.FileField(required=False, allow_null=True, default=None)


class LeaveDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class LeaveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Leave requests: one's own, those one decides as supervisor, every one for region-wide readers.
    ?awaiting=1 lists what waits for the caller's decision. `balance` is the caller's annual leave
    (?year=)."""

    permission_classes = [capability_permission("people.read")]
    serializer_class = LeaveSerializer
    parser_classes = [MultiPartParser, FormParser, JSONObjectParser]

    def get_queryset(self):
        if self.request.query_params.get("awaiting"):
            return leave.leave_awaiting(self.request.user)
        return leave.visible_leave(self.request.user)

    def _own_employee(self):
        me = Employee.objects.filter(user=self.request.user).first()
        if me is None:
            raise exceptions.NotFound(_("You have no employee record."))
        return me

    def create(self, request):
        data = LeaveWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        nip = values.pop("employee")
        employee = (visible_employees(request.user).filter(nip=nip).first() if nip else self._own_employee())
        if employee is None:
            raise exceptions.ValidationError({"employee": _("No such employee.")})
        created = leave.request_leave(actor=request.user, employee=employee, document=values.pop("document"),
                                      **values)
        return Response(LeaveSerializer(created).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = LeaveDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = leave.decide_leave(actor=request.user, leave=self.get_object(), **data.validated_data)
        return Response(LeaveSerializer(decided).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(LeaveSerializer(leave.cancel_leave(actor=request.user, leave=self.get_object())).data)

    @action(detail=False, methods=["get"])
    def balance(self, request):
        year = request.query_params.get("year") or str(facts.today().year)
        if not year.isdigit():
            raise exceptions.ValidationError({"year": _("A year, like 2026.")})
        balance = leave.annual_balance(self._own_employee(), int(year))
        return Response({"year": balance.year, "entitlement": balance.entitlement,
                         "carried_over": balance.carried_over, "taken": balance.taken, "pending": balance.pending,
                         "available": balance.available, "cap": balance.cap})


def register(router) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("positions", PositionViewSet, basename="position")
    router.register("employees", EmployeeViewSet, basename="employee")
    router.register("imports", ImportBatchViewSet, basename="import")
    router.register("leave", LeaveViewSet, basename="leave")
