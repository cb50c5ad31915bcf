"""Time to onboard a region (schema cloned from the template) and of a no-op fleet migrate.

    python benchmarks/onboarding.py [--regions 100] [--timed 15]

Prints the median and worst onboarding time over the timed regions, then the time `migrate` takes when
every one of the regions is already current."""
from __future__ import annotations

import argparse
import statistics
import time

from _setup import fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=100, help="regions in the fleet for the migrate timing")
    parser.add_argument("--timed", type=int, default=15, help="onboardings timed one by one")
    args = parser.parse_args()
    fresh_database("kinerja_bench_onboarding")

    from django.core.management import call_command

    from tenants.services import OnboardingRequest, onboard_region

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"initial migrate (public + template): {time.perf_counter() - started:.2f} s")

    durations = []
    for number in range(args.regions):
        request = OnboardingRequest(
            name=f"Kabupaten Uji {number}", slug=f"uji{number}", kind="kabupaten",
            region_code=f"{10 + number // 99:02d}.{number % 99 + 1:02d}", province="Provinsi Uji",
            time_zone="Asia/Jakarta", admin_email=f"admin{number}@uji.go.id", admin_name="Admin",
        )
        started = time.perf_counter()
        result = onboard_region(request)
        if number < args.timed:
            durations.append(time.perf_counter() - started)
            assert result.schema_created_by == "clone"
    print(f"onboard one region: median {statistics.median(durations) * 1000:.0f} ms, "
          f"worst {max(durations) * 1000:.0f} ms over {len(durations)} regions (schema cloned from template)")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"no-op fleet migrate over {args.regions} regions: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
