"""How fast the desk's pages answer on the demo center (target: none over 300 ms).

Builds the demo (20,000 customers, SQLite, as `make demo` does) in a throwaway
data directory, then requests each page a user works in, as the role that uses
it, through Django's full request stack (middleware, sessions, templates; no
network). Django admin's customer changelist with the same search is measured
beside the desk's search page for comparison.

    python -m benchmarks.desk_pages [--customers 20000] [--runs 40] [--data-dir DIR]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--data-dir", type=Path, help="reuse a data directory (kept)")
    options = parser.parse_args()

    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    os.environ["HOTLINE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotline.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from hotline.accounts.models import User
    from hotline.customers.models import Customer, CustomerNumber

    started = time.monotonic()
    call_command(
        "demo",
        "--no-serve",
        "--customers",
        str(options.customers),
        verbosity=0,
        stdout=open(os.devnull, "w"),
    )  # noqa: SIM115 - passwords are not for the log
    print(f"demo ready in {time.monotonic() - started:.1f} s ({data_dir})")

    agent = User.objects.get(username="agent01")
    manager = User.objects.get(username="manager01")
    manager.is_staff = True
    manager.is_superuser = True  # admin's changelist is the comparison point, not a role
    manager.save()
    visible = Customer.objects.filter(region__in=agent.regions.all())
    sample = visible.filter(kind="enterprise").first()
    number = CustomerNumber.objects.filter(customer__in=visible, kind="line").first().number
    pages = [
        ("agent", agent, "home", "/"),
        ("agent", agent, "search: 7-digit number prefix", f"/customers/?q={number[:7]}"),
        ("agent", agent, "search: surname + address word", "/customers/?q=王+花园"),
        ("agent", agent, "search: caller number → 360", f"/customers/?number={number}"),
        ("agent", agent, "360 view (enterprise, masked)", f"/customers/{sample.pk}/"),
        ("manager", manager, "home (all regions)", "/"),
        ("manager", manager, "360 view (unmasked, audited)", f"/customers/{sample.pk}/"),
        ("manager", manager, "import page", "/customers/import/"),
        ("agent", agent, "API: search", f"/api/customers/?q={number[:7]}"),
        ("manager", manager, "API: customer detail", f"/api/customers/{sample.pk}/"),
        (
            "manager",
            manager,
            "admin changelist: same number prefix",
            f"/admin/customers/customer/?q={number[:7]}",
        ),
    ]
    print(f"\n{'page':<40} {'role':<8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    figures = {}
    for role, user, label, url in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        samples = []
        for _run in range(options.runs):
            began = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - began) * 1000)
            if response.status_code not in (200, 302):
                sys.exit(f"{url} answered {response.status_code}")
        figures[label] = samples
        print(
            f"{label:<40} {role:<8} {statistics.median(samples):8.1f} "
            f"{percentile(samples, 0.95):8.1f} {max(samples):8.1f}"
        )
    ours = percentile(figures["search: 7-digit number prefix"], 0.95)
    admin = percentile(figures["admin changelist: same number prefix"], 0.95)
    print(
        f"\nnumber-prefix search p95: desk {ours:.1f} ms, Django admin {admin:.1f} ms "
        f"(admin / desk = {admin / ours:.1f}×)"
    )
    slowest = max(
        (percentile(samples, 0.95), label)
        for label, samples in figures.items()
        if not label.startswith("admin")
    )
    print(
        f"slowest desk page p95: {slowest[0]:.1f} ms ({slowest[1]}); target 300 ms: "
        f"{'met' if slowest[0] < 300 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
