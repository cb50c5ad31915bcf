"""Training endpoints of the region API. Reads go through the training selectors and writes through its
services, so the API and the pages apply the same rules. Courses are named by code, employees by NIP."""
from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from kinerja.people.models import Employee, Unit
from kinerja.people.selectors import visible_employee_by_nip
from kinerja.region import facts
from kinerja.training import exports, selectors, services
from kinerja.training.certificates import certificate_pdf
from kinerja.training.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    ExternalCourse,
    RecordKind,
    SessionStatus,
    TrainingSession,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.pagination import Pages
from api.params import integer_param
from api.permissions import ActionCapabilities, capability_permission
from api.schema import ANY_JSON, CSV, PDF, download

# Training endpoints answer the region's own roles; what each sees and may change is decided by the
# selectors and the services.
RegionRole = capability_permission("training.read")
RegionWideReader = capability_permission("training.read_all")


def year_param(request) -> int:
    try:
        return int(request.query_params.get("year") or facts.today().year)
    except ValueError:
        raise exceptions.ValidationError({"year": ["Give a year such as 2026."]}) from None


def employee_by_nip(nip, user) -> Employee:
    """Among the employees `user` may see: another unit's NIP answers as an unknown one."""
    employee = visible_employee_by_nip(user, nip)
    if employee is None:
        raise exceptions.ValidationError({"nip": [f"No employee has NIP {nip}."]})
    return employee


# --- catalog ---------------------------------------------------------------------------------------
class CourseSerializer(serializers.ModelSerializer):
    catalog = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["code", "title", "method", "jp_hours", "cost", "provider", "competencies", "record_kind",
                  "catalog", "plugin_name", "plugin_version", "revision", "active"]

    def get_catalog(self, course) -> str:
        return course.plugin_name or "region"


class CourseWriteSerializer(serializers.Serializer):
    # the lengths and ranges are the columns' (Course), so the database never refuses what passes here
    code = serializers.CharField(required=False, max_length=40)
    title = serializers.CharField(required=False, max_length=200)
    method = serializers.CharField(required=False, max_length=12)
    jp_hours = serializers.IntegerField(required=False, max_value=2**31 - 1)  # 1 and more: the service's rule
    cost = serializers.IntegerField(required=False, max_value=2**63 - 1)
    provider = serializers.CharField(required=False, allow_blank=True, max_length=200)
    competencies = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    record_kind = serializers.CharField(required=False, allow_blank=True, max_length=6)


class CatalogSyncSerializer(serializers.Serializer):
    plugin_name = serializers.CharField()
    plugin_version = serializers.CharField()
    status = serializers.CharField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    skipped = serializers.JSONField()
    error = serializers.CharField()
    synced_at = serializers.DateTimeField()


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """The region's catalog. Filters: `q`, `competency`, `method`, `jp_min`, `jp_max`, `source` ("region"
    or a plugin name). HR adds and edits the region's own courses and syncs the plugins' catalogs."""

    permission_classes = [RegionRole]
    serializer_class = CourseSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if self.action != "list":
            return Course.objects.all()
        params = self.request.query_params

        return selectors.filter_catalog(selectors.catalog(), search=params.get("q", ""),
                                        competency=params.get("competency", ""), method=params.get("method", ""),
                                        jp_min=integer_param(params, "jp_min"), jp_max=integer_param(params, "jp_max"),
                                        source=params.get("source", ""))

    def create(self, request):
        data = CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        course = services.create_course(actor=request.user, code=values.get("code", ""),
                                        title=values.get("title", ""), method=values.get("method", ""),
                                        jp_hours=values.get("jp_hours"), cost=values.get("cost", 0),
                                        provider=values.get("provider", ""),
                                        competencies=values.get("competencies", []),
                                        record_kind=values.get("record_kind", ""))
        return Response(CourseSerializer(course).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, code=None):
        course = self.get_object()
        data = CourseWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("code", None)
        course = services.update_course(actor=request.user, course=course,
                                        record_kind=values.pop("record_kind", ""), **values)
        return Response(CourseSerializer(course).data)

    @action(detail=True, methods=["get"])
    def revisions(self, request, code=None):
        course = self.get_object()
        return Response([{"number": r.number, "plugin_version": r.plugin_version, "data": r.data,
                          "recorded_at": r.recorded_at} for r in selectors.course_revisions(course)])

    @action(detail=False, methods=["post"])
    def sync(self, request):
        if not selectors.is_hr(request.user):
            raise exceptions.PermissionDenied()
        syncs = services.sync_catalog(actor=request.user)
        return Response(CatalogSyncSerializer(syncs, many=True).data)


# --- sessions --------------------------------------------------------------------------------------
class SessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    seats_taken = serializers.IntegerField(source="confirmed_count", read_only=True)
    waiting = serializers.IntegerField(source="waitlist_count", read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "course_code", "course_title", "starts_on", "ends_on", "place", "online_link", "seats",
                  "seats_taken", "waiting", "cost", "jp_hours", "trainer", "status"]


class SessionWriteSerializer(serializers.Serializer):
    course_code = serializers.CharField(required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    place = serializers.CharField(required=False, allow_blank=True)
    online_link = serializers.CharField(required=False, allow_blank=True)
    seats = serializers.IntegerField(required=False)
    cost = serializers.IntegerField(required=False, allow_null=True)
    jp_hours = serializers.IntegerField(required=False, allow_null=True)
    trainer = serializers.CharField(required=False, allow_blank=True)


class EnrolmentSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="employee.nip", read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "nip", "employee_name", "course_code", "session", "unit_code", "status", "origin", "reason",
                  "decision_note", "cost", "attended", "jp_hours", "completed_on", "certificate_number",
                  "created_at"]


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions. Filters: `status`, `course` (code), `upcoming=1`. Actions: `enrol` (the employee's own
    request), `nominate` (NIP; HR or the employee's direct supervisor), and for HR `attendance`
    (enrolment ids present), `complete`, `cancel`."""

    permission_classes = [RegionRole]
    serializer_class = SessionSerializer

    def get_queryset(self):
        params = self.request.query_params
        found = (selectors.upcoming_sessions() if params.get("upcoming") else selectors.sessions()) \
            .order_by("starts_on", "id")
        if params.get("status") in SessionStatus.values:
            found = found.filter(status=params["status"])
        if params.get("course"):
            found = found.filter(course__code=params["course"])
        return found

    def create(self, request):
        data = SessionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        course = Course.objects.filter(code=values.pop("course_code", "")).first()
        if course is None:
            raise exceptions.ValidationError({"course_code": ["No course has this code."]})
        session = services.create_session(actor=request.user, course=course, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data,
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        session = self.get_object()
        data = SessionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "course_code"}
        services.update_session(actor=request.user, session=session, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @action(detail=True, methods=["get"])
    def participants(self, request, pk=None):
        session = self.get_object()
        return Response(EnrolmentSerializer(selectors.session_participants(request.user, session), many=True).data)

    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        employee = selectors.employee_of(request.user)
        if employee is None:
            raise exceptions.PermissionDenied("Only employees request training for themselves.")
        enrolment = services.enrol(employee, self.get_object(), actor=request.user,
                                   reason=str(request.data.get("reason", "")))
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def nominate(self, request, pk=None):
        session = self.get_object()
        enrolment = services.enrol(employee_by_nip(request.data.get("nip"), request.user), session, nominated_by=request.user,
                                   reason=str(request.data.get("reason", "")))
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        present = request.data.get("present", [])
        if not isinstance(present, list):
            raise exceptions.ValidationError({"present": ["Give a list of enrolment ids."]})
        count = services.record_attendance(self.get_object(), actor=request.user, present=present)
        return Response({"present": count})

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        session = services.complete_session(self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = services.cancel_session(actor=request.user, session=self.get_object(),
                                          reason=str(request.data.get("reason", "")))
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)


# --- enrolments ------------------------------------------------------------------------------------
class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments the user may see: their own and their direct reports' (everyone's for HR, leadership
    and auditors). Filters: `status`, `nip`, `pending_decision=1` (those the user may decide).
    Actions: `approve`, `reject` (reason), `withdraw`, `evaluate` (content, trainer, relevance 1..5,
    comment), `certificate` (PDF)."""

    permission_classes = [RegionRole]
    serializer_class = EnrolmentSerializer

    def get_queryset(self):
        params = self.request.query_params
        found = selectors.decisions_for(self.request.user) if params.get("pending_decision") \
            else selectors.visible_enrolments(self.request.user).order_by("-created_at", "-id")
        if params.get("status") in EnrolmentStatus.values:
            found = found.filter(status=params["status"])
        if params.get("nip"):
            found = found.filter(employee__nip=params["nip"])
        return found

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        enrolment = services.approve(self.get_object(), actor=request.user, note=str(request.data.get("note", "")))
        return Response(EnrolmentSerializer(enrolment).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        enrolment = services.reject(self.get_object(), actor=request.user, reason=str(request.data.get("reason", "")))
        return Response(EnrolmentSerializer(enrolment).data)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = services.withdraw(self.get_object(), actor=request.user,
                                      reason=str(request.data.get("reason", "")))
        return Response(EnrolmentSerializer(enrolment).data)

    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        data = request.data
        evaluation = services.submit_evaluation(self.get_object(), actor=request.user, content=data.get("content"),
                                                trainer=data.get("trainer"), relevance=data.get("relevance"),
                                                comment=str(data.get("comment", "")))
        return Response({"content": evaluation.content, "trainer": evaluation.trainer,
                         "relevance": evaluation.relevance, "comment": evaluation.comment},
                        status=status.HTTP_201_CREATED)

    @download(PDF)
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        enrolment = self.get_object()
        if enrolment.status != EnrolmentStatus.COMPLETED:
            raise exceptions.NotFound("Only a completed enrolment has a certificate.")
        return HttpResponse(certificate_pdf(enrolment), content_type="application/pdf")


# --- hours, compliance, budgets, external courses, export --------------------------------------------
class HoursViewSet(viewsets.ViewSet):
    """JP per employee for `year` against the region's target: the user's own and whoever they may see
    (their direct reports; everyone for HR, leadership and auditors). Paginated; filter `unit` (code)."""

    permission_classes = [RegionRole]

    def list(self, request):

        year = year_param(request)
        people = selectors.visible_employees(request.user).order_by("unit__path", "full_name")
        if request.query_params.get("unit"):
            people = people.filter(unit__code=request.query_params["unit"])
        paginator = Pages()
        page = paginator.paginate_queryset(people, request, view=self)
        rows = selectors.hours_table(people.filter(pk__in=[e.pk for e in page]), year)
        return paginator.get_paginated_response([
            {"nip": r["employee"].nip, "name": r["employee"].full_name, "unit_code": r["employee"].unit.code,
             "year": year, "sessions_jp": r["sessions"], "external_jp": r["external"], "total_jp": r["total"],
             "target_jp": r["target"], "meets_target": r["meets_target"]} for r in rows])

    def retrieve(self, request, pk=None):
        """One employee's completed training in `year` (pk is the NIP)."""
        employee = selectors.visible_employees(request.user).filter(nip=pk).first()
        if employee is None:
            raise exceptions.NotFound()
        year = year_param(request)
        records = selectors.completed_training_for(employee, year)
        return Response({"nip": employee.nip, "year": year, "total_jp": sum(r.jp_hours for r in records),
                         "target_jp": selectors.jp_target(),
                         "records": [{"title": r.title, "record_kind": r.record_kind, "organiser": r.organiser,
                                      "jp_hours": r.jp_hours, "started_on": r.started_on, "ended_on": r.ended_on,
                                      "certificate_number": r.certificate_number, "source": r.source}
                                     for r in records]})


class ComplianceViewSet(viewsets.ViewSet):
    """The JP compliance report per unit for `year` (HR, leadership, auditors)."""

    permission_classes = [RegionWideReader]

    def list(self, request):
        report = selectors.compliance_report(year_param(request))
        def figures(row) -> dict:
            # Shares and averages as decimal strings ("33.3"), as they were rounded once in the selector.
            return {"employees": row["employees"], "compliant": row["compliant"],
                    "compliance_percent": str(row["compliance_percent"]), "total_jp": row["total_jp"],
                    "average_jp": str(row["average_jp"])}

        return Response({"year": report["year"], "target_jp": report["target"],
                         "units": [{"unit_code": row["unit"].code, "unit_name": row["unit"].name, **figures(row)}
                                   for row in report["units"]],
                         "region": figures(report["region"])})


class BudgetWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField(max_length=50)
    year = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="rupiah")


class BudgetViewSet(viewsets.ViewSet):
    """Training budgets per unit for `year` against committed and spent (HR, leadership, auditors); HR
    sets a budget with {unit_code, year, amount}."""

    permission_classes = [RegionWideReader]

    def list(self, request):
        return Response([{"unit_code": row["unit"].code, "year": row["budget"].year, "amount": row["amount"],
                          "committed": row["committed"], "spent": row["spent"], "remaining": row["remaining"],
                          "over_budget": row["over_budget"]} for row in selectors.budget_report(year_param(request))])

    @extend_schema(request=BudgetWriteSerializer)
    def create(self, request):
        data = BudgetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(code=data.validated_data["unit_code"]).first()
        if unit is None:
            raise exceptions.ValidationError({"unit_code": ["No unit has this code."]})
        budget = services.set_unit_budget(actor=request.user, unit=unit, year=data.validated_data["year"],
                                          amount=data.validated_data["amount"])
        return Response({"unit_code": unit.code, "year": budget.year, "amount": budget.amount},
                        status=status.HTTP_201_CREATED)


class ExternalCourseSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="employee.nip")

    class Meta:
        model = ExternalCourse
        fields = ["id", "nip", "title", "record_kind", "organiser", "jp_hours", "started_on", "ended_on",
                  "certificate_number", "cost", "verified"]
        read_only_fields = ["verified"]
        extra_kwargs = {"record_kind": {"required": False}, "cost": {"required": False}}


class ExternalCourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Training taken elsewhere. An employee records their own (verified later by HR); HR records for any
    employee (by `nip`) and verifies."""

    permission_classes = [RegionRole]
    serializer_class = ExternalCourseSerializer

    def get_queryset(self):
        return selectors.external_courses_for(self.request.user)

    def create(self, request):
        data = ExternalCourseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        nip = values.pop("employee")["nip"]
        employee = employee_by_nip(nip, request.user)
        record = services.record_external_course(actor=request.user, employee=employee,
                                                 record_kind=values.pop("record_kind", RecordKind.KURSUS), **values)
        return Response(ExternalCourseSerializer(record).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        record = services.verify_external_course(actor=request.user, external=self.get_object())
        return Response(ExternalCourseSerializer(record).data)


class NationalExportViewSet(viewsets.ViewSet):
    """Completed training of `year` in SIASN's shapes: {"diklat": [...], "kursus": [...]}, each record
    {"endpoint", "nip", "name", "data"}; with `output=csv` and `kind=diklat|kursus`, one CSV (HR, auditors)."""

    permission_classes = [ActionCapabilities]
    capabilities = {"default": "training.export"}

    @download(CSV, json=ANY_JSON, parameters=[
        OpenApiParameter("output", str, enum=["json", "csv"], description="csv: one CSV file of `kind`"),
        OpenApiParameter("kind", str, enum=["diklat", "kursus"])])
    def list(self, request):
        year = year_param(request)
        records = exports.national_records(year)
        if request.query_params.get("output") == "csv":
            kind = request.query_params.get("kind", RecordKind.KURSUS)
            if kind not in RecordKind.values:
                raise exceptions.ValidationError({"kind": ["Choose diklat or kursus."]})
            return HttpResponse(exports.as_csv(records, kind), content_type="text/csv; charset=utf-8")
        return Response({"year": year, **exports.as_json(records)})


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("training/courses", CourseViewSet, basename="training-course")
    router.register("training/sessions", SessionViewSet, basename="training-session")
    router.register("training/enrolments", EnrolmentViewSet, basename="training-enrolment")
    router.register("training/hours", HoursViewSet, basename="training-hours")
    router.register("training/compliance", ComplianceViewSet, basename="training-compliance")
    router.register("training/budgets", BudgetViewSet, basename="training-budget")
    router.register("training/external-courses", ExternalCourseViewSet, basename="training-external")
    router.register("training/national-export", NationalExportViewSet, basename="training-export")
