"""Cross-region report endpoints of the public API (BKN analysts)."""


def register(router) -> None:
    """Register this module's viewsets on the public router."""
