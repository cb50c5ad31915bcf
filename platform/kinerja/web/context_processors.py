from kinerja.web.navigation import is_public_site, navigation_for


def navigation(request):
    region = getattr(request, "tenant", None)
    return {
        "nav_items": navigation_for(request),
        "region": region,
        "on_region_site": not is_public_site(request),
    }
