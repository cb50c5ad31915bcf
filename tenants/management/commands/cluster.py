"""Regions on a Citus cluster: `manage.py cluster regions [--per-node]` (where each region lives and its
size), `cluster move <schema> <host:port>`, `cluster rebalance`, `cluster drain <host:port>`,
`cluster undrain <host:port>` and `cluster place` (new regions still on the coordinator, placed on a
worker). The same operations are on the operator page."""
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat

from tenants import cluster
from tenants.schemas import SPARE_PREFIX


class Command(BaseCommand):
    help = "Where regions live on a Citus cluster, and moving them between nodes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        regions = actions.add_parser("regions", help="each region's node and size")
        regions.add_argument("--per-node", action="store_true", help="only the number of regions on each worker")
        move = actions.add_parser("move", help="move one region to another worker (it stays readable)")
        move.add_argument("schema")
        move.add_argument("node", help="host:port of the target worker")
        actions.add_parser("place", help="place on a worker every new region still on the coordinator "
                                         "(what the placement task does in the background)")
        actions.add_parser("rebalance", help="spread regions evenly over the workers")
        drain = actions.add_parser("drain", help="move every region off a worker before removing it")
        drain.add_argument("node")
        undrain = actions.add_parser("undrain", help="let a drained worker take regions again")
        undrain.add_argument("node")

    def handle(self, *args, **options):
        if not cluster.is_citus():
            raise CommandError("this database is not a Citus coordinator: every region is on the one server")
        try:
            getattr(self, f"do_{options['action']}")(options)
        except (ValueError, DatabaseError) as error:
            raise CommandError(str(error)) from error

    def do_regions(self, options):
        for node in cluster.nodes():
            drained = "" if node.should_have_regions else " (drained)"
            self.stdout.write(f"{node.name}: {node.regions} regions, {filesizeformat(node.bytes)}{drained}")
        if not options["per_node"]:
            for placement in cluster.placements():
                spare = " (spare)" if placement.schema.startswith(SPARE_PREFIX) else ""
                self.stdout.write(f"  {placement.schema:<32} {placement.node:<22} {filesizeformat(placement.bytes)}{spare}")
        for schema in cluster.unplaced_regions():
            self.stdout.write(f"  {schema:<32} {'coordinator':<22} new, being placed on a worker")

    def do_move(self, options):
        cluster.move_schema(options["schema"], options["node"])
        self.stdout.write(f"{options['schema']} is now on {cluster.region_node(options['schema'])}")

    def do_place(self, options):
        placed = cluster.place_unplaced_regions()
        self.stdout.write(f"regions placed: {len(placed)}" + (f" ({', '.join(placed)})" if placed else ""))

    def do_rebalance(self, options):
        self.stdout.write(f"moves made: {cluster.rebalance()}")

    def do_drain(self, options):
        self.stdout.write(f"regions moved off {options['node']}: {cluster.drain_node(options['node'])}")

    def do_undrain(self, options):
        cluster.undrain_node(options["node"])
        self.stdout.write(f"{options['node']} takes regions again")
