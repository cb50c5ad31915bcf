"""Bank account endpoints of the region API (HR only): accounts in force, changes waiting for a second
HR admin, and imports. Rules live in kinerja.pay.bank_accounts; the one exception handler turns their
errors into 400/403/404."""
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from kinerja.pay import bank_accounts, selectors
from kinerja.pay.models import BankAccount, BankAccountChange
from kinerja.people.models import Employee
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.parsers import FormParser, JSONObjectParser, MultiPartParser
from api.permissions import ActionCapabilities

REFUSED = "Only the region's HR admins manage bank accounts."


class BankAccountSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="employee.nip", read_only=True)
    full_name = serializers.CharField(source="employee.full_name", read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True, default="")

    class Meta:
        model = BankAccount
        fields = ["id", "employee", "nip", "full_name", "bank_code", "bank_name", "account_number", "account_name",
                  "approved_change", "updated_at"]
        read_only_fields = fields


class BankAccountChangeSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="employee.nip", read_only=True)
    full_name = serializers.CharField(source="employee.full_name", read_only=True)
    bank_code = serializers.CharField(source="bank.code", read_only=True)

    class Meta:
        model = BankAccountChange
        fields = ["id", "employee", "nip", "full_name", "bank_code", "account_number", "holder_name", "name_check",
                  "note", "source", "status", "requested_by", "requested_at", "decided_by", "decided_at",
                  "decision_note"]
        read_only_fields = fields


class NewChangeSerializer(serializers.Serializer):
    nip = serializers.CharField(max_length=18)
    bank_code = serializers.CharField(max_length=10)
    account_number = serializers.CharField(max_length=40)
    holder_name = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BankAccountViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BankAccountSerializer
    permission_classes = [ActionCapabilities]
    capabilities = {"default": "pay.bank.manage"}
    refusals = {"pay.bank.manage": REFUSED}

    def get_queryset(self):
        accounts = selectors.bank_accounts()
        nip = self.request.query_params.get("nip")
        return accounts.filter(employee__nip=nip) if nip else accounts


class BankAccountChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BankAccountChangeSerializer
    permission_classes = [ActionCapabilities]
    parser_classes = [JSONObjectParser, FormParser, MultiPartParser]
    capabilities = {"default": "pay.bank.manage", "approve": "pay.bank.approve", "reject": "pay.bank.approve"}
    refusals = {"pay.bank.manage": REFUSED, "pay.bank.approve": REFUSED}

    def get_queryset(self):
        return selectors.bank_account_changes(self.request.query_params.get("status") or None)

    def get_serializer_class(self):
        return NewChangeSerializer if self.action == "create" else BankAccountChangeSerializer

    def create(self, request):
        serializer = NewChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        employee = Employee.objects.filter(nip=data["nip"].strip()).first()
        if employee is None:
            raise ValidationError({"nip": ["No employee has NIP %s." % data["nip"]]})
        change = bank_accounts.request_change(
            actor=request.user, employee=employee, bank=selectors.banks().filter(code=data["bank_code"].strip()).first(),
            account_number=data["account_number"], holder_name=data["holder_name"], note=data["note"], source="API")
        return Response(BankAccountChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, pk, decide):
        change = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide(change, actor=request.user, note=serializer.validated_data["note"])
        change.refresh_from_db()
        return Response(BankAccountChangeSerializer(change).data)

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def approve(self, request, pk=None):
        return self._decide(request, pk, bank_accounts.approve_change)

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def reject(self, request, pk=None):
        return self._decide(request, pk, bank_accounts.reject_change)

    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Attach the spreadsheet as 'file'."]})
        outcome = bank_accounts.import_accounts(actor=request.user, content=upload.read(), filename=upload.name)
        if outcome.errors:
            return Response({"rows": outcome.total_rows, "errors": outcome.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"rows": outcome.total_rows,
                         "changes": BankAccountChangeSerializer(outcome.changes, many=True).data},
                        status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("bank-accounts", BankAccountViewSet, basename="bank-account")
    router.register("bank-account-changes", BankAccountChangeViewSet, basename="bank-account-change")
