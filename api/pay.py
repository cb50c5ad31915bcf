"""Pay endpoints of the region API. Who sees what is decided by kinerja.pay.selectors; writes go through
kinerja.pay.services.

GET  /api/v1/pay-runs/                        runs (HR, leadership, auditors; an employee: released runs of theirs)
POST /api/v1/pay-runs/                        {"month": "2025-03"} a draft run (HR)
GET  /api/v1/pay-runs/<id>/                   one run with progress and totals
POST /api/v1/pay-runs/<id>/<action>/          start | resume | approve | lock | reset | cancel ({"reason": ...};
                                              start needs a reason while the checks find gaps)
GET  /api/v1/pay-runs/<id>/results/           its results (paginated), without lines
GET  /api/v1/pay-runs/<id>/diff/?against=<id> employees whose take-home differs
GET  /api/v1/pay-runs/<id>/register/          payroll register (.xlsx)
GET  /api/v1/pay-runs/<id>/transfer/          bank transfer file in the region's format (HR; approved or locked
                                              runs whose employees all have an approved bank account)
GET  /api/v1/pay-runs/<id>/checks/            gaps before computing (with counts and links), the written reason
                                              to compute anyway, and the month-on-month comparison with outliers
GET  /api/v1/pay-runs/<id>/corrections/       a locked run's employees owed or overpaid now (new minus paid)
POST /api/v1/pay-runs/<id>/corrections/       {"reason", "settings": "run"|"current"}: their adjustment lines
GET  /api/v1/pay-runs/<id>/missing-accounts/  employees the run pays who have no approved bank account
GET  /api/v1/bank-accounts/                   accounts in force (HR); ?nip=
GET  /api/v1/bank-account-changes/            changes (HR); ?status=pending
POST /api/v1/bank-account-changes/            {"nip", "bank_code", "account_number", "holder_name", "note"} (maker)
POST /api/v1/bank-account-changes/<id>/approve/  {"note"} (checker: another HR admin)
POST /api/v1/bank-account-changes/<id>/reject/   {"note"} (checker)
POST /api/v1/bank-account-changes/import/     multipart "file" (.xlsx/.csv): 201 with the changes, or 400 with row errors
GET  /api/v1/pay-results/                     results the user may read (an employee: their own)
GET  /api/v1/pay-results/<id>/                one result with its lines and inputs
GET  /api/v1/pay-results/<id>/explanation/    how each rupiah came about, in words
GET  /api/v1/pay-results/<id>/payslip/        the payslip (.pdf)
GET  /api/v1/pay/history/                     one's predicates and TPP year by year; ?employee=<id> (region-wide readers)
GET  /api/v1/pay/annual-summary/?year=        the year's TPP per unit (region-wide readers); export/ as .xlsx
GET  /api/v1/pay/settings/                    the region's pay settings (HR, leadership, auditors)
POST /api/v1/pay/settings/outlier-limits/     {"outlier_employee_percent", "outlier_total_percent"} (HR)
"""
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from kinerja.pay import checks as run_checks
from kinerja.pay import documents, exports, history, selectors, services
from kinerja.pay.explain import explain
from kinerja.pay.models import PayLine, PayResult, PayRun, PaySettings
from kinerja.region import facts
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.params import integer_param
from api.permissions import ActionCapabilities
from api.representation import QuickRepresentation
from api.schema import PDF, XLSX, download

MANAGE_RUNS = "Only the region's HR admins manage pay runs."

class PayRunSerializer(QuickRepresentation, serializers.ModelSerializer):
    progress_percent = serializers.IntegerField(read_only=True)
    config_version = serializers.IntegerField(source="config_version_id", read_only=True)
    stall = serializers.SerializerMethodField(help_text='"resuming", "stalled" or "" while computing goes on')

    class Meta:
        model = PayRun
        fields = ["id", "month", "status", "plugin_name", "plugin_version", "config_version", "total_employees",
                  "processed", "failed", "progress_percent", "progress_at", "stall", "attempts", "retry_at",
                  "retry_reason", "total_earnings",
                  "total_deductions", "total_contributions", "total_net", "started_by", "approved_by", "locked_by",
                  "created_at", "started_at", "computed_at", "approved_at", "locked_at", "error"]
        read_only_fields = fields

    def get_stall(self, run) -> str:
        return selectors.stall_state(run)


class NewRunSerializer(serializers.Serializer):
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])


class PayResultSerializer(QuickRepresentation, serializers.ModelSerializer):
    month = serializers.DateField(source="run.month", read_only=True)

    class Meta:
        model = PayResult
        fields = ["id", "run", "month", "employee", "nip", "full_name", "unit_name", "position_title",
                  "position_class", "employee_type", "rank", "earnings", "deductions", "contributions", "net",
                  "ok", "error"]
        read_only_fields = fields


class PayResultDetailSerializer(PayResultSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(PayResultSerializer.Meta):
        fields = [*PayResultSerializer.Meta.fields, "inputs", "lines"]
        read_only_fields = fields

    def get_lines(self, result) -> list[dict]:
        return [{"position": line.position, "code": line.code, "label": line.label, "kind": line.kind,
                 "amount": line.amount, "inputs": line.inputs} for line in result.lines.all()]


class PayRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PayRunSerializer
    permission_classes = [ActionCapabilities]
    capabilities = {
        "default": "pay.read",
        **{name: capability for name, (capability, _act) in services.RUN_ACTIONS.items()},
        "create": "pay.run.start",
        "results": "pay.read_all", "diff": "pay.read_all", "register": "pay.read_all",
        "transfer": "pay.transfer.export", "missing_accounts": "pay.transfer.export", "checks": "pay.read_all",
        "corrections": "pay.run.start",
    }
    refusals = {"pay.run.start": MANAGE_RUNS, "pay.run.approve": MANAGE_RUNS, "pay.transfer.export": MANAGE_RUNS,
                "pay.read_all": "Your role may not read the region's pay runs."}

    def get_queryset(self):
        return selectors.visible_runs(self.request.user).order_by("-month", "-id")

    def create(self, request):
        serializer = NewRunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.create_run(month=serializer.validated_data["month"], actor=request.user)
        return Response(PayRunSerializer(run).data, status=status.HTTP_201_CREATED)

    def _act(self, request, pk, name):
        run = services.run_action(self.get_object(), name, actor=request.user, reason=request.data.get("reason", ""))
        run.refresh_from_db()
        return Response(PayRunSerializer(run).data)

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(request, pk, "start")

    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(request, pk, "resume")

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, pk, "approve")

    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        return self._act(request, pk, "lock")

    @action(detail=True, methods=["post"])
    def reset(self, request, pk=None):
        return self._act(request, pk, "reset")

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, pk, "cancel")

    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        run = self.get_object()
        page = self.paginate_queryset(selectors.results_of(run).select_related("run"))
        return self.get_paginated_response(PayResultSerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        run = self.get_object()
        against = integer_param(request.query_params, "against")
        other = selectors.visible_runs(request.user).filter(pk=against).first() if against is not None else None
        if other is None:
            return Response({"against": ["Give the id of another run as ?against=."]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"run": run.pk, "against": other.pk, "total_net": run.total_net,
                         "against_total_net": other.total_net, "employees": selectors.run_diff(other, run)})

    @download(XLSX)
    @action(detail=True, methods=["get"])
    def register(self, request, pk=None):
        run = self.get_object()
        region = facts.current_region()
        response = HttpResponse(exports.payroll_register(run, region_name=region.name if region else "",
                                                         today=facts.today()),
                                content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="register-tpp-{run.month:%Y-%m}.xlsx"'
        return response

    @action(detail=True, methods=["get"])
    def checks(self, request, pk=None):
        run = self.get_object()
        comparison = run_checks.month_on_month(run, services.pay_settings()) if run.status in (
            "computed", "approved", "locked") else None
        return Response({
            "findings": run_checks.findings_for(run), "reason": run.checks_reason,
            "month_on_month": None if comparison is None else {
                "against": comparison.previous.pk if comparison.previous else None,
                "total_before": comparison.total_before, "total_after": comparison.total_after,
                "total_change_percent": comparison.total_change_percent, "total_flagged": comparison.total_flagged,
                "employee_percent": comparison.employee_percent, "total_percent": comparison.total_percent,
                "outliers": comparison.outliers}})

    @action(detail=True, methods=["get", "post"])
    def corrections(self, request, pk=None):
        """GET: who of a locked run is owed or overpaid now (?settings=current to use the settings in force);
        POST {"reason", "settings": "run"|"current"}: one adjustment each, paid in the next open month."""
        run = self.get_object()
        current = (request.data.get("settings") if request.method == "POST"
                   else request.query_params.get("settings")) == "current"
        made = []
        if request.method == "POST":
            made = services.apply_corrections(run, actor=request.user, reason=str(request.data.get("reason", "")),
                                              use_current_settings=current)
        lines = services.correction_preview(run, actor=request.user, use_current_settings=current)
        return Response({
            "pay_month": services.next_payable_month(run.month),
            "made": [a.pk for a in made],
            "affected": [{"employee_id": line.employee_id, "nip": line.nip, "full_name": line.full_name,
                          "paid": line.paid, "corrected_before": line.corrected_before, "due": line.due,
                          "adjustment": line.difference} for line in lines],
            "adjustments": [{"id": a.pk, "nip": a.employee.nip, "pay_month": a.pay_month, "amount": a.amount,
                             "reason": a.reason} for a in selectors.adjustments_for(run)]},
            status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)

    @action(detail=True, methods=["get"], url_path="missing-accounts")
    def missing_accounts(self, request, pk=None):
        rows = selectors.missing_accounts(self.get_object())
        return Response({"count": len(rows), "employees": [{"nip": r.nip, "full_name": r.full_name, "net": r.net}
                                                            for r in rows]})

    @download("text/csv", "text/plain", "application/octet-stream")
    @action(detail=True, methods=["get"])
    def transfer(self, request, pk=None):
        transfer = services.bank_transfer_file(self.get_object(), actor=request.user)
        response = HttpResponse(transfer.content, content_type=transfer.content_type)
        response["Content-Disposition"] = f'attachment; filename="{transfer.filename}"'
        return response


class PayResultViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "pay.read"}

    def get_queryset(self):
        results = selectors.visible_results(self.request.user).order_by("-run__month", "full_name", "id")
        if self.action != "list":
            from django.db.models import Prefetch

            results = results.prefetch_related(Prefetch("lines", queryset=PayLine.objects.order_by("position")))
        params = self.request.query_params
        if (run := integer_param(params, "run")) is not None:
            results = results.filter(run_id=run)
        if params.get("nip"):
            results = results.filter(nip=params["nip"])
        return results

    def get_serializer_class(self):
        return PayResultSerializer if self.action == "list" else PayResultDetailSerializer

    @action(detail=True, methods=["get"])
    def explanation(self, request, pk=None):
        result = self.get_object()
        explained = explain(result)
        return Response({"intro": explained["intro"], "totals": explained["totals"],
                         "region_pays": explained["region_pays"],
                         "attendance_summary": explained["attendance_summary"], "findings": explained["findings"],
                         "lines": [{"code": e.code, "label": e.label, "kind": e.kind, "amount": e.amount,
                                    "explanation": e.sentences} for e in explained["lines"]]})

    @download(PDF)
    @action(detail=True, methods=["get"])
    def payslip(self, request, pk=None):
        result = self.get_object()
        response = HttpResponse(documents.payslip_pdf(result, documents.region_letterhead()),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{documents.payslip_filename(result)}"'
        return response


class TransparencyViewSet(viewsets.ViewSet):
    """Public (no sign-in): what the region's transparency page shows, when the region publishes it. Pay
    per position class for groups of at least 5 paid staff (smaller classes pooled with their
    neighbours), averages in whole rupiah, and the region's criteria. 404 when not published."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def list(self, request):
        table = selectors.transparency_table()
        if table is None:
            raise Http404
        run, settings_row = table["run"], table["settings"]
        return Response({
            "month": run.month.strftime("%Y-%m") if run else None,
            "minimum_group": table["minimum"],
            "groups": [{"classes": row.classes, "label": row.label, "employees": row.count, "average": row.average,
                        "base_low": row.base_low, "base_high": row.base_high} for row in table["rows"]],
            "employees": table["paid"], "average": table["average"],
            "criteria": {"formula": settings_row.criteria_formula, "deductions": settings_row.criteria_deductions,
                         "predicate": settings_row.criteria_predicate,
                         "settings": table["criteria"], "plugin": run.plugin_name if run else None},
        })


class HistoryViewSet(viewsets.ViewSet):
    """An employee's predicates and TPP year by year: one's own, or `?employee=<id>` for a region-wide
    pay reader (anyone else's answers 404)."""
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "pay.read"}

    def list(self, request):
        employee = history.history_employee(request.user, integer_param(request.query_params, "employee"))
        return Response({"employee": {"id": employee.pk, "nip": employee.nip, "full_name": employee.full_name},
                         "years": [line.as_dict() for line in history.employee_years(employee)]})


class AnnualSummaryViewSet(viewsets.ViewSet):
    """The year's TPP per unit it was paid in (`?year=`, default this year), from approved and locked runs;
    `export/` is the same as an XLSX."""
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "pay.read_all"}

    def _year(self, request) -> int:
        year = integer_param(request.query_params, "year")
        return year if year is not None else facts.today().year

    def list(self, request):
        return Response(history.annual_summary(self._year(request)))

    @action(detail=False, methods=["get"])
    def export(self, request):
        year = self._year(request)
        region = facts.current_region()
        response = HttpResponse(exports.annual_summary_workbook(history.annual_summary(year),
                                                                region_name=region.name if region else ""),
                                content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="rekap-tpp-{year}.xlsx"'
        return response


class PaySettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaySettings
        fields = ["publish_transparency", "transparency_mode", "criteria_formula", "criteria_deductions",
                  "criteria_predicate", "bank_file_format", "payer_account", "outlier_employee_percent",
                  "outlier_total_percent"]
        read_only_fields = fields


class OutlierLimitsSerializer(serializers.Serializer):
    outlier_employee_percent = serializers.IntegerField(help_text="flag an employee whose TPP moved more than this")
    outlier_total_percent = serializers.IntegerField(help_text="flag totals that moved more than this")


class PaySettingsViewSet(viewsets.ViewSet):
    """The region's pay settings as one object; the limits of the month-on-month check are set here."""
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "pay.read_all", "outlier_limits": "pay.data.manage"}

    @extend_schema(responses=PaySettingsSerializer)
    def list(self, request):
        return Response(PaySettingsSerializer(services.pay_settings()).data)

    @extend_schema(request=OutlierLimitsSerializer, responses=PaySettingsSerializer)
    @action(detail=False, methods=["post"], url_path="outlier-limits")
    def outlier_limits(self, request):
        payload = OutlierLimitsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        saved = services.set_outlier_limits(actor=request.user,
                                            employee_percent=payload.validated_data["outlier_employee_percent"],
                                            total_percent=payload.validated_data["outlier_total_percent"])
        return Response(PaySettingsSerializer(saved).data)


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("pay/history", HistoryViewSet, basename="pay-history")
    router.register("pay/settings", PaySettingsViewSet, basename="pay-settings")
    router.register("pay/annual-summary", AnnualSummaryViewSet, basename="pay-annual-summary")
    router.register("pay/transparency", TransparencyViewSet, basename="pay-transparency")
    router.register("pay-runs", PayRunViewSet, basename="pay-run")
    router.register("pay-results", PayResultViewSet, basename="pay-result")
