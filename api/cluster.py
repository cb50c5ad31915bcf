"""The database cluster on the platform's API (operator only): where each region lives, and cluster
operations (move a region, rebalance, drain or undrain a worker), queued for a worker like the operator
page's and read back for their progress. On one PostgreSQL server the overview says so and every operation
is refused with the reason."""
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.permissions import capability_permission
from api.schema import NO_NUL
from tenants import cluster_services
from tenants.models import ClusterOperation
from tenants.selectors import cluster_overview, cluster_operations


class NodeSerializer(serializers.Serializer):
    name = serializers.CharField()
    regions = serializers.IntegerField()
    bytes = serializers.IntegerField()
    should_have_regions = serializers.BooleanField()


class PlacementSerializer(serializers.Serializer):
    schema = serializers.CharField(help_text="The region's slug (its schema).")
    name = serializers.CharField()
    node = serializers.CharField()
    bytes = serializers.IntegerField()
    moving_to = serializers.CharField(help_text="The node the region is being moved to, or empty.")
    placing = serializers.BooleanField(help_text="A new region still on the coordinator, about to be placed on "
                                                 "a worker by a background task (node is empty until then).")


class ClusterOverviewSerializer(serializers.Serializer):
    is_cluster = serializers.BooleanField()
    nodes = NodeSerializer(many=True)
    placements = PlacementSerializer(many=True)


class ClusterOperationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClusterOperation
        fields = ["id", "action", "schema_name", "node", "status", "moves_planned", "moves_done", "current",
                  "detail", "requested_by", "created_at", "finished_at"]
        read_only_fields = fields


class OperationRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ClusterOperation.Action.choices)
    schema_name = serializers.RegexField(NO_NUL, max_length=63, required=False, allow_blank=True, default="",
                                         help_text="The region to move (move only).")
    node = serializers.RegexField(NO_NUL, max_length=80, required=False, allow_blank=True, default="",
                                  help_text="host:port of a worker (move, drain, undrain).")


class ClusterViewSet(viewsets.ViewSet):
    """Each worker with its regions and size, and each region's node."""

    permission_classes = [capability_permission("regions.manage")]
    serializer_class = ClusterOverviewSerializer

    def list(self, request):
        overview = cluster_overview()
        return Response(ClusterOverviewSerializer({
            "is_cluster": overview["is_cluster"], "placements": overview["placements"],
            "nodes": [{"name": node.name, "regions": node.regions, "bytes": node.bytes,
                       "should_have_regions": node.should_have_regions} for node in overview["nodes"]]}).data)


class ClusterOperationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cluster operations, newest first. POST queues one (202); GET its id to follow its progress."""

    permission_classes = [capability_permission("regions.manage")]
    serializer_class = ClusterOperationSerializer

    def get_queryset(self):
        return cluster_operations()

    def get_serializer_class(self):
        return OperationRequestSerializer if self.action == "create" else ClusterOperationSerializer

    def create(self, request):
        payload = OperationRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        operation = cluster_services.request_operation(actor=request.user, **payload.validated_data)
        return Response(ClusterOperationSerializer(operation).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    router.register("cluster/operations", ClusterOperationViewSet, basename="cluster-operation")
    router.register("cluster", ClusterViewSet, basename="cluster")
