"""Time to onboard a region (schema cloned from the template) and of a no-op fleet migrate.

    python benchmarks/onboarding.py [--regions 100] [--timed 15]

Prints the median and worst onboarding time over the timed regions, taking a spare schema (as in
service, where the worker refills the pool between onboardings: here the refill runs untimed between
them) and cloning directly (the pool empty), then the time `migrate` takes when every region is current."""
from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=100, help="regions in the fleet for the migrate timing")
    parser.add_argument("--timed", type=int, default=10, help="onboardings timed on each path")
    args = parser.parse_args()
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"  # the benchmark fills the pool itself, one spare at a time
    fresh_database("kinerja_bench_onboarding")

    from django.core.management import call_command

    from tenants.schemas import fill_spare_pool
    from tenants.services import OnboardingRequest, onboard_region

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"initial migrate (public + template): {time.perf_counter() - started:.2f} s")

    durations: dict[str, list[float]] = {"spare": [], "clone": []}
    for number in range(args.regions):
        timed_path = "spare" if number < args.timed else "clone" if number < 2 * args.timed else None
        fill_spare_pool(1 if timed_path == "spare" else 0)
        request = OnboardingRequest(
            name=f"Kabupaten Uji {number}", slug=f"uji{number}", kind="kabupaten",
            region_code=f"{10 + number // 99:02d}.{number % 99 + 1:02d}", province="Provinsi Uji",
            time_zone="Asia/Jakarta", admin_email=f"admin{number}@uji.go.id", admin_name="Admin",
        )
        started = time.perf_counter()
        result = onboard_region(request)
        if timed_path:
            durations[timed_path].append(time.perf_counter() - started)
            assert result.schema_created_by == timed_path, result.schema_created_by
    for path, label in (("spare", "taking a spare schema"), ("clone", "cloning the template directly")):
        times = durations[path]
        if times:
            print(f"onboard one region, {label}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"worst {max(times) * 1000:.0f} ms over {len(times)} regions")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"no-op fleet migrate over {args.regions} regions: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
