"""The `hotline` command line and the demo."""

import csv
import datetime
import os
import subprocess
import sys

from django.core.management import call_command
from django.utils import timezone

from hotline.accounts.models import User
from hotline.audit.models import AuditEvent
from hotline.contacts.models import Contact
from hotline.customers.models import Customer, Line
from hotline.demo import city
from hotline.demo.customers import demo_rows
from tests.integration.test_import import GOOD_ROWS, HEADER


def test_hotline_help_lists_our_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "hotline", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HOTLINE_DATA_DIR": str(tmp_path)},
    )
    for command in ("createuser", "token", "import-customers", "demo", "import-queue-log", "kpi"):
        assert command in result.stdout


def test_import_customers_reports_counts_and_bad_rows(tmp_path, cast, products, capsys):
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(GOOD_ROWS)
        writer.writerow(["NJ9", "坏行", "个人", "普通", "", "火星区"] + [""] * 10)
    errors = tmp_path / "errors.csv"

    call_command("import-customers", str(path), "--as", "zhaomgr", "--errors", str(errors))

    captured = capsys.readouterr()
    assert "4 rows: 3 created, 0 updated, 0 unchanged, 1 rejected" in captured.out
    assert "row 5: 区域" in captured.err
    assert "火星区" in errors.read_text(encoding="utf-8-sig")
    assert AuditEvent.objects.filter(source="cli", actor=cast["zhaomgr"]).exists()


def test_import_customers_without_a_user_is_recorded_as_the_system(tmp_path, regions, products):
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, GOOD_ROWS[0]])
    call_command("import-customers", str(path), verbosity=0)
    assert AuditEvent.objects.get(target_type="customer").actor_label == "system"


def test_demo_rows_are_the_same_for_the_same_seed_and_differ_for_another():
    first = list(demo_rows(50, seed=7))
    assert first == list(demo_rows(50, seed=7))
    assert first != list(demo_rows(50, seed=8))


def test_the_demo_loads_a_center_with_staff_of_every_role_and_valid_customers(
    db, capsys, time_machine
):
    # One day of calls is today so far: in the afternoon, whenever the suite runs.
    today = timezone.localdate()
    time_machine.move_to(
        datetime.datetime.combine(today, datetime.time(15), tzinfo=timezone.get_default_timezone())
    )
    call_command("demo", "--no-serve", "--customers", "300", "--seed", "3", "--call-days", "1")

    output = capsys.readouterr().out
    assert "rejected rows: 0" in output
    roles = {user.role for user in User.objects.all()}
    assert roles == {
        "agent",
        "team_lead",
        "second_line",
        "complaint_handler",
        "qa_inspector",
        "wfm_planner",
        "manager",
        "admin",
    }
    assert Customer.objects.count() == 300
    assert Customer.objects.filter(kind="enterprise").exists()
    assert Customer.objects.filter(is_vip=True).exists()
    assert Line.objects.filter(service_type="broadband").exists()
    # The staff who sign in get printed passwords; the call-taking agents are not printed.
    assert all(agent_id in output for _name, _role, agent_id, *_rest in city.STAFF)
    assert Contact.objects.filter(outcome="answered").exists()


def test_loading_the_demo_again_leaves_it_as_it_is(db, capsys):
    call_command("demo", "--no-serve", "--customers", "50", "--call-days", "1")
    call_command("demo", "--no-serve", "--customers", "50", "--call-days", "1")
    assert "already loaded" in capsys.readouterr().out
    assert Customer.objects.count() == 50
