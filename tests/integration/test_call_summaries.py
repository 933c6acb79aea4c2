"""The days' call summaries the reports read: the same figures as the calls, stored once,
out of date after any write to their calls, never stored for live days."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from hotline.contacts.call_store import Resolver, store_calls
from hotline.contacts.models import CallDaySummary, Contact
from hotline.core.contact_kpis import compute, kpi_names
from hotline.core.contact_records import CallRecord, Outcome
from hotline.core.contact_tables import Grouping
from hotline.core.kpi_periods import Period
from hotline.reports import call_reports, call_summaries
from hotline.reports.call_reports import CallReportQuery, call_report
from tests.integration.test_call_reports import DAY, SHANGHAI, at, calls  # noqa: F401

FROM_CELLS = tuple(name for name in kpi_names() if name != "repeat_caller_rate")


def report(by=Period.DAY, group=Grouping.QUEUE, day=DAY, kpis=FROM_CELLS):
    rows = call_report(CallReportQuery(day, day, by, group, kpis))
    return {(row.period, row.group_key): row.values for row in rows}


def from_calls(by=Period.DAY, group=Grouping.QUEUE, day=DAY, kpis=FROM_CELLS):
    query = CallReportQuery(day, day, by, group, kpis)
    chosen = call_reports.kpi_settings()
    table, states, extras, until = call_reports._inputs(query, chosen, kpis)
    rows = compute(
        table, states, extras, by=by, group=group, kpis=kpis, settings=chosen, counted_until=until
    )
    return {(row.period, row.group_key): row.values for row in rows}


def summary(day=DAY) -> CallDaySummary:
    return CallDaySummary.objects.get(day=day)


def current(day=DAY) -> bool:
    row = summary(day)
    return row.built_from == row.changes


def add_call(call_id, entered, outcome=Outcome.ANSWERED, wait_s=5, caller="13600000000"):
    store_calls(
        [CallRecord(call_id, "BB", entered, outcome, wait_s, caller=caller, agent="SIP/10001")],
        "test",
        Resolver(),
    )


@pytest.mark.parametrize(
    ("by", "group"),
    [
        (Period.DAY, Grouping.QUEUE),
        (Period.INTERVAL15, Grouping.QUEUE),
        (Period.INTERVAL60, Grouping.SKILL_GROUP),
        (Period.MONTH, Grouping.SKILL_GROUP),
    ],
)
def test_a_report_from_summaries_has_the_figures_of_the_calls(calls, by, group):  # noqa: F811
    assert report(by, group) == from_calls(by, group)
    assert report(by, group) == from_calls(by, group)  # and again, from the stored summary


def test_the_summary_is_stored_and_read_instead_of_the_calls(calls, monkeypatch):  # noqa: F811
    first = report()
    assert current()
    assert first[("2026-11-02", "BB")]["offered"] == 3

    def no_calls(*_args, **_kwargs):
        raise AssertionError("the calls were read again")

    monkeypatch.setattr(call_summaries.tables, "call_table", no_calls)
    assert report() == first


def test_a_day_without_calls_is_stored_as_an_empty_summary(calls):  # noqa: F811
    quiet = DAY - datetime.timedelta(days=1)
    assert report(day=quiet) == {}
    assert current(quiet)
    assert report(day=quiet) == {}


def test_an_imported_call_puts_its_day_out_of_date(calls):  # noqa: F811
    report()
    add_call("c5", at(11), Outcome.ABANDONED, 50)
    assert not current()
    values = report()[("2026-11-02", "BB")]
    assert (values["offered"], values["abandoned"]) == (4, 2)
    assert current()


def test_a_repeat_call_the_next_morning_puts_the_day_before_out_of_date(calls):  # noqa: F811
    before = report()[("2026-11-02", "BB")]["fcr_calls"]
    add_call("c6", at(8, day=3), caller="13900001111")  # c2's caller, within 24 hours
    assert not current(DAY)
    after = report()[("2026-11-02", "BB")]["fcr_calls"]
    assert (before, after) == (0.5, 0.0)


def test_a_call_changed_one_at_a_time_puts_its_day_out_of_date(calls):  # noqa: F811
    report()
    contact = Contact.objects.get(call_id="c3")
    contact.wait_s = 10
    contact.save()
    assert report() == from_calls()
    assert report()[("2026-11-02", "BB")]["average_abandon_time"] == 10
    contact.delete()
    assert report()[("2026-11-02", "BB")]["offered"] == 2


def test_other_thresholds_in_the_settings_rebuild_the_summary(calls):  # noqa: F811
    report()
    with override_settings(HOTLINE_SERVICE_LEVEL_THRESHOLDS_S=["10", "20"]):
        values = report()[("2026-11-02", "BB")]
        assert values["service_level_10s"] == pytest.approx(1 / 3)
        assert summary().measures == call_summaries.call_cells.settings_key(
            call_reports.kpi_settings()
        )


def test_live_days_are_summarised_from_the_calls_and_never_stored(calls, time_machine):  # noqa: F811
    # Five minutes before now is still today whenever the suite runs, also just after midnight.
    today = timezone.localdate()
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(15), tzinfo=SHANGHAI))
    add_call("now", timezone.now() - datetime.timedelta(minutes=5))
    assert report(day=today)[(str(today), "BB")]["offered"] == 1
    assert not CallDaySummary.objects.filter(day=today).exists()


def test_a_write_while_a_summary_is_made_keeps_it_out_of_date(calls, monkeypatch):  # noqa: F811
    read_calls = call_summaries.tables.call_table

    def write_then_read(*args, **kwargs):
        # An import commits a call after the report read the day's row, before it reads
        # the calls: what the report sums may miss it, so it must not be kept as current.
        monkeypatch.setattr(call_summaries.tables, "call_table", read_calls)
        add_call("late", at(12))
        return read_calls(*args, **kwargs)

    report()
    add_call("c7", at(11))
    monkeypatch.setattr(call_summaries.tables, "call_table", write_then_read)
    report()
    assert not current()
    assert report()[("2026-11-02", "BB")]["offered"] == 5
    assert current()


def test_the_report_page_by_queue_reads_the_summaries(client, cast, calls, monkeypatch):  # noqa: F811
    report()

    def no_calls(*_args, **_kwargs):
        raise AssertionError("the page read the calls")

    monkeypatch.setattr(call_summaries.tables, "call_table", no_calls)
    client.force_login(cast["laozhang"])
    page = client.get(
        "/reports/calls/", {"from": "2026-11-02", "to": "2026-11-02", "by": "day", "group": "queue"}
    )
    assert page.status_code == 200
    assert "kpi=answered" in page.content.decode()
