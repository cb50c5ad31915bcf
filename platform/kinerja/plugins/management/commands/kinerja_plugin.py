"""Vendor tools.

    python manage.py kinerja_plugin new tpp-example [--directory plugins]
    python manage.py kinerja_plugin check kinerja-tpp-example     (an installed plugin's name, entry point or module)
    python manage.py kinerja_plugin list
"""
import importlib
from importlib.metadata import entry_points
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from kinerja_plugin_api.conformance import check_plugin
from kinerja_plugin_api.hookspecs import HOOK_API_VERSION
from kinerja_plugin_api.host import ENTRY_POINT_GROUP, PluginHost
from kinerja_plugin_api.scaffold import create_plugin


def find_plugin(name: str):
    """An installed plugin by PLUGIN_META name or entry-point name, else an importable module path."""
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            module = entry_point.load()
        except Exception:  # a broken plugin is reported by `list`, it must not stop checking others
            continue
        if entry_point.name == name or entry_point.value == name or getattr(module, "PLUGIN_META", {}).get("name") == name:
            return module
    try:
        return importlib.import_module(name.replace("-", "_"))
    except ImportError:
        raise CommandError(f"No installed plugin or importable module is named '{name}'.") from None


class Command(BaseCommand):
    help = "Create a plugin from the template, check a plugin's conformance, or list installed plugins."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        new = commands.add_parser("new", help="create a plugin distribution from the template")
        new.add_argument("name")
        new.add_argument("--directory", default="plugins", help="where to create it (default: plugins)")
        check = commands.add_parser("check", help="run the conformance check on a plugin")
        check.add_argument("name")
        commands.add_parser("list", help="list installed plugins and load errors")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _new(self, options):
        try:
            created = create_plugin(options["name"], Path(options["directory"]))
        except (ValueError, FileExistsError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {created.name} in {created.directory}"))
        self.stdout.write(f"Next: pip install -e {created.directory} && "
                          f"python manage.py kinerja_plugin check {created.name}, then restart the platform's "
                          f"processes (python3 dev.py run) so they find it")

    def _check(self, options):
        report = check_plugin(find_plugin(options["name"]))
        for line in report.passed:
            self.stdout.write(f"ok    {line}")
        for line in report.problems:
            self.stdout.write(self.style.ERROR(f"FAIL  {line}"))
        if not report.ok:
            raise CommandError(f"{report.plugin}: {len(report.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"{report.plugin} conforms to hook API {HOOK_API_VERSION}."))

    def _list(self, options):
        host = PluginHost()
        host.load_entry_points()
        for info in host.plugins():
            self.stdout.write(f"{info.name} {info.version}  [{', '.join(info.hooks)}]  {info.source}")
        for error in host.load_errors:
            self.stdout.write(self.style.ERROR(f"refused: {error.source}: {error.message}"))
