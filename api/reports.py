"""Reports endpoints of the region API."""


def register(router) -> None:
    """Register this module's viewsets on the region router."""
