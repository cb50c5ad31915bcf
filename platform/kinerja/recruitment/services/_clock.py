"""The region's clock, kept in this one place so recruitment reads local dates the same way everywhere."""
from __future__ import annotations

import datetime
import zoneinfo

from django.db import connection
from django.utils import timezone


def region_zone() -> zoneinfo.ZoneInfo:
    name = getattr(connection.tenant, "time_zone", None)
    return zoneinfo.ZoneInfo(name or "Asia/Jakarta")


def region_today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(region_zone()).date()
