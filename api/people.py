"""People and organisation endpoints of a region's API. Reads go through the people selectors, so the
API shows exactly what the pages show."""
from rest_framework import serializers, viewsets

from api.permissions import OrganisationReader
from kinerja.people.models import Employee, Position, Unit
from kinerja.people.selectors import visible_employees


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "unit_type", "parent", "path"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "title", "kind", "position_class"]


class EmployeeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    position_code = serializers.CharField(source="position.code", read_only=True)
    supervisor_nip = serializers.CharField(source="supervisor.nip", read_only=True, default=None)

    class Meta:
        model = Employee
        fields = ["id", "nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status",
                  "unit", "unit_code", "position", "position_code", "supervisor", "supervisor_nip", "email"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrganisationReader]
    serializer_class = UnitSerializer
    queryset = Unit.objects.all()


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrganisationReader]
    serializer_class = PositionSerializer
    queryset = Position.objects.all()


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer

    def get_queryset(self):
        queryset = visible_employees(self.request.user).order_by("full_name")
        params = self.request.query_params
        if unit := params.get("unit"):
            queryset = queryset.filter(unit__code=unit)
        if status := params.get("status"):
            queryset = queryset.filter(status=status)
        if employee_type := params.get("employee_type"):
            queryset = queryset.filter(employee_type=employee_type)
        return queryset


def register(router) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("positions", PositionViewSet, basename="position")
    router.register("employees", EmployeeViewSet, basename="employee")
