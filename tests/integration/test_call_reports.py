"""Call reports: the command, the API, the page, its export, and the records behind a figure."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from hotline.accounts.models import SkillGroup
from hotline.contacts.call_store import Resolver, store_calls, store_state_intervals
from hotline.contacts.models import Contact, Queue
from hotline.core.contact_records import AgentState, CallRecord, Outcome, StateInterval

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 11, 2)
QUERY = {"from": "2026-11-02", "to": "2026-11-02", "by": "day", "group": "queue"}


def at(hour, minute=0, second=0, day=2):
    return datetime.datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def calls(cast):
    """Four calls to 宽带 on 2 November: answered in 10 s and 30 s by 小王 (10001), one
    abandoned after 40 s, one answered the next day (outside the range)."""
    skill = SkillGroup.objects.create(code="BB", name="宽带专席")
    Queue.objects.create(code="BB", name="宽带", skill_group=skill)
    cast["xiaowang"].skill_groups.add(skill)
    records = [
        CallRecord(
            "c1",
            "BB",
            at(9),
            Outcome.ANSWERED,
            10,
            caller="13812345678",
            agent="SIP/10001",
            talk_s=200,
            after_call_work_s=20,
        ),
        CallRecord(
            "c2",
            "BB",
            at(9, 5),
            Outcome.ANSWERED,
            30,
            caller="13900001111",
            agent="SIP/10001",
            talk_s=100,
        ),
        CallRecord("c3", "BB", at(9, 10), Outcome.ABANDONED, 40, caller="13700002222"),
        CallRecord(
            "c4",
            "BB",
            at(9, day=3),
            Outcome.ANSWERED,
            5,
            caller="13812345678",
            agent="SIP/10001",
            talk_s=60,
        ),
    ]
    resolver = Resolver()
    store_calls(records, "test", resolver)
    store_state_intervals(
        [
            StateInterval("SIP/10001", AgentState.READY, at(8), at(9)),
            StateInterval("SIP/10001", AgentState.ON_CONTACT, at(9), at(9, 30)),
            StateInterval("SIP/10001", AgentState.NOT_READY, at(9, 30), at(10), "meal"),
        ],
        "test",
        resolver,
    )
    return {record.call_id: Contact.objects.get(call_id=record.call_id).pk for record in records}


def test_the_kpi_command_writes_one_json_row_per_period_and_group(calls, capsys):
    call_command(
        "kpi",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-02",
        "--by",
        "day",
        "--group",
        "queue",
        "--format",
        "json",
    )
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["period"], row["group"]) == ("2026-11-02", "BB")
    assert (row["offered"], row["answered"], row["abandoned"]) == (3, 2, 1)
    assert row["service_level"] == pytest.approx(1 / 3)  # within 20 s ÷ answered + abandoned
    assert row["asa"] == 20
    # The 9:00 call was repeated the next morning: not resolved at first contact.
    assert row["fcr_calls"] == 0.5


def test_the_kpi_command_groups_by_agent_and_team(calls, capsys):
    call_command(
        "kpi",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-02",
        "--group",
        "agent",
        "--format",
        "csv",
        "--kpis",
        "answered,occupancy",
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,group,answered,occupancy"
    # On contact 30 min of 90 staffed (ready 60, on contact 30); the meal is not staffed.
    assert "2026-11-02,10001,2,0.3333333333333333" in lines
    assert "2026-11-02,,0," in lines  # the abandoned call: no agent, so no states


@pytest.mark.parametrize("group", ["agent", "skill_group"])
def test_talk_that_began_before_the_range_counts_from_its_start(cast, capsys, group):
    skill = SkillGroup.objects.create(code="BB", name="宽带专席")
    Queue.objects.create(code="BB", name="宽带", skill_group=skill)
    cast["xiaowang"].skill_groups.add(skill)
    resolver = Resolver()
    store_calls(
        [
            # Answered at 23:59 on the 1st, talking until 00:03 on the 2nd.
            CallRecord(
                "late", "BB", at(23, 58, day=1), Outcome.ANSWERED, 60, agent="SIP/10001", talk_s=240
            ),
            CallRecord(
                "early", "BB", at(0, 10), Outcome.ANSWERED, 0, agent="SIP/10001", talk_s=120
            ),
        ],
        "test",
        resolver,
    )
    store_state_intervals(
        [StateInterval("SIP/10001", AgentState.READY, at(23, 30, day=1), at(0, 30))],
        "test",
        resolver,
    )
    call_command(
        "kpi",
        *("--from", "2026-11-02", "--to", "2026-11-02", "--group", group),
        *("--format", "json", "--kpis", "occupancy"),
    )
    (row,) = [row for row in json.loads(capsys.readouterr().out) if row["group"]]
    # Ready 00:00-00:30 on the 2nd, of which on calls 00:00-00:03 and 00:10-00:12.
    assert row["occupancy"] == pytest.approx((180 + 120) / 1800)


def test_the_report_api_names_a_bad_field(api_as, calls):
    response = api_as("zhaomgr").get("/api/reports/calls", {**QUERY, "by": "fortnight"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"by"}


@pytest.mark.parametrize(
    ("username", "status"), [("zhaomgr", 200), ("laozhang", 200), ("xiaowang", 403)]
)
def test_the_report_api_is_for_those_who_read_call_figures(api_as, calls, username, status):
    assert api_as(username).get("/api/reports/calls", QUERY).status_code == status


def test_the_api_returns_the_ids_behind_a_figure(api_as, calls):
    response = api_as("zhaomgr").get(
        "/api/reports/calls/records",
        {**QUERY, "kpi": "answered", "period": "2026-11-02", "key": "BB"},
    )
    assert response.json() == {"kpi": "answered", "count": 2, "ids": [calls["c1"], calls["c2"]]}


def test_the_page_shows_targets_and_links_each_figure_to_its_calls(client, cast, calls):
    client.force_login(cast["laozhang"])
    page = client.get("/reports/calls/", QUERY).content.decode()
    assert "目标" in page and "≥ 80.0%" in page
    assert 'class="num bad"' in page  # 33 % within 20 s misses 80 %
    assert "kpi=answered" in page
    records = client.get(
        "/reports/calls/records/",
        {**QUERY, "kpi": "abandoned", "period": "2026-11-02", "key": "BB"},
    ).content.decode()
    assert "137****2222" in records and "13700002222" not in records  # no PII for a team lead
    assert "<td>放弃</td>" in records  # the outcome by its label, not its code


def test_the_export_opens_in_excel_with_the_figures(client, cast, calls):
    client.force_login(cast["zhaomgr"])
    response = client.get("/reports/calls/export.xlsx", QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [cell.value for cell in sheet[2]]
    values = [cell.value for cell in sheet[3]]
    assert values[names.index("offered")] == 3
    assert values[names.index("service_level")] == pytest.approx(1 / 3)


def test_the_wallboard_counts_waiting_calls_and_agents_by_state(client, cast, calls, api_as):
    telephony = api_as("admin")
    telephony.post(
        "/api/cti/events",
        {"event": "queued", "call_id": "w1", "caller_number": "13800009999", "queue": "BB"},
        format="json",
    )
    telephony.post(
        "/api/cti/events",
        {"event": "agent_state", "agent_id": "10001", "state": "ready"},
        format="json",
    )
    client.force_login(cast["laozhang"])
    page = client.get("/wallboard/BB/").content.decode()
    assert 'id="waiting">1<' in page
    assert 'id="agents-ready">1<' in page
