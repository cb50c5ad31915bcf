"""Start-up check: on a Citus coordinator, say so, and name any setting the app needs that is missing."""
from django.core.checks import Info, Warning
from django.db import DatabaseError

from tenants import cluster


def citus_cluster(app_configs, **kwargs):
    try:
        if not cluster.is_citus():
            return []
        workers = cluster.nodes()
        problems = cluster.settings_problems()
    except DatabaseError:  # no database yet: `migrate` will say what it set up
        return []
    spread = ", ".join(f"{node.name} ({node.regions} regions)" for node in workers)
    messages = [Info(f"Citus coordinator, schema-based sharding over {len(workers)} workers: {spread}",
                     id="tenants.I001")]
    return messages + [Warning(f"Citus: {problem}", id="tenants.W001") for problem in problems]
