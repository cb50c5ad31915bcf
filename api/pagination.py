"""Pages of every list endpoint: 50 rows unless the caller asks for another `?page_size=`, at most 200
(a larger or malformed value is taken as the largest / the default, as DRF does, never an error)."""
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
