"""What HR reads when a plugin fails: which plugin, what could not be done, and that the people who can
fix it know. The exception itself stays in the failure log (operator and vendor), never on HR's pages."""
from django.utils.translation import gettext as _


def pay_not_computed(plugin: str) -> str:
    return _("Not computed: plugin %(plugin)s failed; the operator and the vendor have been notified.") % {
        "plugin": plugin}


def catalog_failed(plugin: str) -> str:
    return _("Plugin %(plugin)s could not supply its training catalogue; the operator and the vendor have been "
             "notified.") % {"plugin": plugin}


def stages_failed(plugin: str) -> str:
    return _("Plugin %(plugin)s could not supply the recruitment stages; the operator and the vendor have been "
             "notified.") % {"plugin": plugin}
