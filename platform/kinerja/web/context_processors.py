from kinerja.web.navigation import grouped, is_public_site, navigation_for


def navigation(request):
    region = getattr(request, "tenant", None)
    items = navigation_for(request)
    return {
        "nav_items": items,
        "nav_sections": grouped(items),
        "region": region,
        "on_region_site": not is_public_site(request),
    }
