"""The workforce plan end to end on the database: forecast, schedule, roster, publish, the
pages each role may open, adherence, intraday and the command line."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from hotline.accounts.models import User
from hotline.contacts.models import AgentStateInterval
from hotline.notifications.models import Notification
from hotline.workforce import selectors, services
from hotline.workforce.models import Forecast, Schedule, ScheduledShift, ShiftTemplate
from hotline.workforce.plans import NoForecast, week_plan
from tests.workforce_data import AGENTS, CALLS_PER_HALF_HOUR, next_monday, small_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def center(cast):
    return small_center(cast)


@pytest.fixture
def planner(cast):
    return User.objects.get(username="wuwfm")


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_a_week_is_forecast_from_the_history_once_per_queue(center, planner):
    week = next_monday()
    services.forecast_week(center, week, by=planner, today=timezone.localdate())
    again = services.forecast_week(center, week, by=planner, today=timezone.localdate())
    forecast = Forecast.objects.get()
    assert [item.pk for item in again] == [forecast.pk]
    assert len(forecast.volumes) == 7 * 48
    tuesday_10 = forecast.volumes[48 + 20]
    sunday_10 = forecast.volumes[6 * 48 + 20]
    assert tuesday_10 == pytest.approx(CALLS_PER_HALF_HOUR, rel=0.35)
    assert sunday_10 == pytest.approx(0, abs=0.5)
    assert forecast.backtest and {score["model"] for score in forecast.backtest} >= {
        "seasonal_naive"
    }


def test_a_group_without_calls_cannot_be_forecast(center, planner):
    center.queues.all().delete()
    with pytest.raises(services.NoHistory):
        services.forecast_week(center, next_monday(), by=planner, today=timezone.localdate())
    with pytest.raises(NoForecast):
        week_plan(center, next_monday())


def test_the_schedule_covers_the_requirement_and_rosters_the_group_by_the_rules(center, planner):
    week = next_monday()
    services.forecast_week(center, week, by=planner, today=timezone.localdate())
    schedule = services.build_schedule(center, week, by=planner, time_limit_s=20)
    assert schedule.status == Schedule.Status.DRAFT
    required, scheduled = schedule.required, schedule.scheduled
    assert len(required) == len(scheduled) == 7 * 96
    shifts = list(schedule.shifts.select_related("agent"))
    staffed = [shift for shift in shifts if shift.agent is not None]
    assert staffed, schedule.roster_problems
    if not any(shift.agent is None for shift in shifts):
        assert all(s >= r for r, s in zip(required, scheduled, strict=True))
    assert float(schedule.total_cost) >= schedule.lower_bound - 1e-6
    group_agents = {agent_id for _username, agent_id, _name in AGENTS} | {"10001"}
    by_agent: dict[str, list] = {}
    for shift in staffed:
        assert shift.agent.agent_id in group_agents
        by_agent.setdefault(shift.agent.agent_id, []).append(shift)
    for agent_shifts in by_agent.values():
        agent_shifts.sort(key=lambda shift: shift.starts_at)
        days = [timezone.localdate(shift.starts_at) for shift in agent_shifts]
        assert len(days) == len(set(days)) <= 5
        for earlier, later in zip(agent_shifts, agent_shifts[1:], strict=False):
            assert later.starts_at - earlier.ends_at >= datetime.timedelta(hours=11)
    for shift in staffed:
        for item in shift.activities:
            start = datetime.datetime.fromisoformat(item["start"])
            assert shift.starts_at <= start < shift.ends_at


def test_publishing_shows_the_shifts_to_their_agents_and_replaces_the_week(center, planner):
    week = next_monday()
    services.forecast_week(center, week, by=planner, today=timezone.localdate())
    first = services.build_schedule(center, week, by=planner, time_limit_s=20)
    second = services.build_schedule(center, week, by=planner, time_limit_s=20)
    agent = first.shifts.exclude(agent=None).first().agent
    page = _client(agent.username).get("/my-shifts/")
    assert "近期没有已发布的班次" in page.content.decode()

    services.publish_schedule(first, by=planner, now=timezone.now())
    services.publish_schedule(second, by=planner, now=timezone.now())
    first.refresh_from_db()
    assert first.status == Schedule.Status.SUPERSEDED
    assert Schedule.objects.get(status=Schedule.Status.PUBLISHED) == second
    assert Notification.objects.filter(recipient=agent, event="schedule.published").exists()
    with pytest.raises(services.NotADraft):
        services.publish_schedule(second, by=planner, now=timezone.now())

    own = second.shifts.filter(agent=agent).count()
    page = _client(agent.username).get("/my-shifts/").content.decode()
    assert page.count("<tr><td>") == own


@pytest.mark.parametrize(
    ("username", "plan", "forecast"),
    [
        ("xiaowang", 403, 403),
        ("laozhang", 200, 403),
        ("zhaomgr", 200, 403),
        ("wuwfm", 200, 302),
        ("outsider", 403, 403),
    ],
)
def test_each_role_opens_the_planner_pages_it_may(center, username, plan, forecast):
    client = _client(username)
    assert client.get("/workforce/?group=BB").status_code == plan
    assert client.get("/workforce/adherence/").status_code == plan
    assert client.get("/workforce/intraday/?group=BB").status_code == plan
    response = client.post("/workforce/forecast/", {"group": "BB", "week": str(next_monday())})
    assert response.status_code == forecast
    assert client.get("/my-shifts/").status_code == 200


def test_the_plan_page_shows_the_forecast_and_staffing_then_builds_and_publishes(center):
    client = _client("wuwfm")
    week = str(next_monday())
    client.post("/workforce/forecast/", {"group": "BB", "week": week})
    page = client.get(f"/workforce/?group=BB&week={week}").content.decode()
    assert 'id="forecast-chart"' in page and 'id="staffing-days"' in page
    response = client.post("/workforce/schedules/", {"group": "BB", "week": week})
    schedule = Schedule.objects.get()
    assert response["Location"] == f"/workforce/schedules/{schedule.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="gantt"' in page and "发布排班" in page
    client.post(f"/workforce/schedules/{schedule.pk}/publish/")
    schedule.refresh_from_db()
    assert schedule.status == Schedule.Status.PUBLISHED


def test_bad_week_or_group_is_refused(center):
    client = _client("wuwfm")
    assert client.get("/workforce/?group=BB&week=31-12-2026").status_code == 404
    assert client.get("/workforce/?group=NOPE").status_code == 404


def test_adherence_counts_a_late_login_against_the_agent(center, planner):
    agent = User.objects.get(username="bb1")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    nine = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(9)))
    schedule = Schedule.objects.create(
        skill_group=center,
        week_start=yesterday - datetime.timedelta(days=yesterday.weekday()),
        status=Schedule.Status.PUBLISHED,
        interval_minutes=15,
        required=[],
        scheduled=[],
        objective="cost",
        total_cost=300,
        lower_bound=300,
        solver_status="optimal",
    )
    ScheduledShift.objects.create(
        schedule=schedule,
        agent=agent,
        template=ShiftTemplate.objects.get(code="D8"),
        starts_at=nine,
        ends_at=nine + datetime.timedelta(hours=1),
    )
    AgentStateInterval.objects.create(
        agent_name="SIP/11001",
        agent=agent,
        state="ready",
        started_at=nine + datetime.timedelta(minutes=6),
        ended_at=nine + datetime.timedelta(hours=1),
    )
    page = _client("laozhang").get(f"/workforce/adherence/?day={yesterday}")
    agents = {row["agent_id"]: row["figures"] for row in page.context["agents"]}
    # Six minutes late with a minute's grace: five of sixty minutes out of adherence.
    assert agents["11001"].adherence == pytest.approx(55 / 60)
    assert [item.kind for item in page.context["deviations"]] == ["late_login"]


def test_a_template_whose_break_falls_outside_the_shift_is_refused():
    template = ShiftTemplate(
        code="X",
        name="错",
        earliest_start=datetime.time(8),
        latest_start=datetime.time(9),
        length_minutes=240,
        cost=100,
        breaks=[{"kind": "meal", "minutes": 60, "paid": False, "earliest": 200, "latest": 220}],
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "breaks" in error.value.message_dict


def test_the_erlang_command_gives_the_public_check():
    out = StringIO()
    call_command(
        "erlang",
        "--calls=100",
        "--interval-s=1800",
        "--aht-s=180",
        "--target-sl=0.8",
        "--threshold-s=20",
        "--format=json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["required_agents"] == 14
    row = next(row for row in result["rows"] if row["agents"] == 14)
    assert row["p_wait"] == pytest.approx(0.1741319, abs=1e-7)
    assert row["service_level"] == pytest.approx(0.8883500, abs=1e-7)
    assert row["asa_s"] == pytest.approx(7.836, abs=1e-3)
    assert [row["agents"] for row in result["rows"]] == list(range(11, 18))


def test_the_erlang_command_refuses_a_bad_target():
    with pytest.raises(CommandError):
        call_command("erlang", "--calls=100", "--aht-s=180", "--target-sl=1.5", stdout=StringIO())


def test_the_forecast_and_schedule_commands_build_and_publish_a_week(center):
    out = StringIO()
    week = str(next_monday())
    call_command("forecast", "--group=BB", f"--week={week}", "--by=wuwfm", stdout=out)
    assert "BB BB" in out.getvalue()
    call_command(
        "schedule", "--group=BB", f"--week={week}", "--time-limit-s=20", "--publish", stdout=out
    )
    assert "Published." in out.getvalue()
    assert Schedule.objects.get().status == Schedule.Status.PUBLISHED


def test_templates_that_cannot_cover_the_morning_give_the_least_shortfall_and_say_so(
    center, planner
):
    ShiftTemplate.objects.filter(code="D8").update(active=False)
    week = next_monday()
    services.forecast_week(center, week, by=planner, today=timezone.localdate())
    schedule = services.build_schedule(center, week, by=planner, time_limit_s=20)
    assert schedule.objective == "shortfall"
    [problem] = [item for item in schedule.roster_problems if item["rule"] == "coverage"]
    assert "班次模板无法覆盖全部需求" in problem["message"]
    nine_tuesday = 96 + 9 * 4
    assert schedule.required[nine_tuesday] > 0 == schedule.scheduled[nine_tuesday]
    assert set(schedule.shifts.values_list("template__code", flat=True)) == {"M8"}


def test_this_weeks_plan_draws_the_calls_so_far_beside_the_forecast(center, planner):
    week = selectors.monday_of(timezone.localdate())
    services.forecast_week(center, week, by=planner, today=timezone.localdate())
    now = timezone.now()
    so_far = selectors.offered_so_far(["BB"], week, 30, now)
    elapsed = int((now - selectors.local_midnight(week)).total_seconds() // 1800)
    assert len(so_far) == 7 * 48 and so_far[elapsed:] == [None] * (7 * 48 - elapsed)
    if timezone.localdate() > week:  # Monday's calls are history by Tuesday
        assert so_far[20] == CALLS_PER_HALF_HOUR  # 10:00 on Monday
    page = _client("wuwfm").get(f"/workforce/?group=BB&week={week}").content.decode()
    assert ("实际话务量" in page) == (elapsed > 0)
