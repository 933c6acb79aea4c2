"""Time limits in the database: the sweep's warnings and breaches, and the preview API."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.audit.models import AuditEvent
from hotline.notifications.models import Notification
from hotline.workorders import clocks, services
from hotline.workorders.models import PublicHoliday, SlaPolicy, StageClock, State
from hotline.workorders.seed import seed_public_holidays
from hotline.workorders.sweep import sweep_time_limits
from tests.orders import open_broadband_fault, open_order

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = datetime.timedelta(hours=1)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


START = at(2026, 11, 23, 9, 0)  # a Monday


@pytest.fixture
def order(cast, customer):
    """A VIP broadband fault opened at 09:00: solve limit 12 h on 24×7, warning at 80%."""
    return open_broadband_fault(cast["xiaowang"], customer, now=START)


def breach_steps(order) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type="workorder", target_id=order.pk, changes__step=[None, "breach"]
        )
    )


def test_a_warning_fires_at_the_share_of_the_limit_and_only_once(order):
    solve = order.clocks.get(stage="solve")
    assert solve.warning_at == START + 0.8 * 12 * HOUR
    assert sweep_time_limits(solve.warning_at - datetime.timedelta(seconds=1)).warnings == 0
    assert sweep_time_limits(solve.warning_at).warnings == 1
    assert sweep_time_limits(solve.warning_at + HOUR).warnings == 0
    assert Notification.objects.filter(event="workorder.warning").count() == 1


def test_a_breach_escalates_once_raising_priority_and_telling_owner_and_team_lead(order, cast):
    due = order.clocks.get(stage="solve").due_at
    first = sweep_time_limits(due)
    again = sweep_time_limits(due + 3 * HOUR)
    assert (first.breaches, again.breaches) == (1, 0)
    order.refresh_from_db()
    assert order.priority == 1  # was 2 (三级 + green channel)
    told = {n.recipient.username for n in Notification.objects.filter(event="workorder.breach")}
    assert told == {"xiaowang", "laozhang"}
    assert len(breach_steps(order)) == 1


def test_a_met_stage_never_breaches(order, cast):
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=order, now=START)
    order = services.accept(actor=cast["ligong"], source="web", order=order, now=START)
    services.reply(actor=cast["ligong"], source="web", order=order, text="已修复", now=START + HOUR)
    solve = StageClock.objects.get(order=order, stage="solve")
    assert solve.met_in_time is True and solve.business_used == HOUR
    sweep_time_limits(START + 13 * HOUR)
    assert StageClock.objects.get(pk=solve.pk).breached_at is None


def test_a_suspended_order_does_not_breach_while_suspended(order, cast):
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=order, now=START)
    order = services.accept(actor=cast["ligong"], source="web", order=order, now=START)
    services.suspend(
        actor=cast["ligong"], source="web", order=order, reason="等待物业开门", now=START + HOUR
    )
    sweep_time_limits(START + 30 * HOUR)
    solve = StageClock.objects.get(order=order, stage="solve")
    assert solve.breached_at is None


def test_a_breach_of_a_policy_that_reassigns_returns_the_order_to_the_queue(order, cast):
    SlaPolicy.objects.filter(order_type="fault").update(reassign_on_breach=True)
    clocks.forget_cached_setup()
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=order, now=START)
    order = services.accept(actor=cast["ligong"], source="web", order=order, now=START)
    sweep_time_limits(START + 13 * HOUR)
    order.refresh_from_db()
    assert (order.state, order.handler) == (State.DISPATCHED, None)


def test_a_complaint_running_out_of_time_is_reported_one_level_higher(cast, customer):
    complaint = open_order(
        cast["xiaowang"],
        customer,
        "service.attitude",
        "营业员态度恶劣",
        complaint_level="important",
        now=START,
    )
    assert complaint.reported_up_to == 1
    sweep_time_limits(START + datetime.timedelta(days=10))
    complaint.refresh_from_db()
    assert complaint.reported_up_to == 2
    reported = Notification.objects.filter(event="workorder.breach", recipient=cast["zhaomgr"])
    assert reported.exists()


def test_preview_shows_when_a_customer_may_expect_an_answer_across_national_day(api_as):
    seed_public_holidays(PublicHoliday, [2026])  # the migration seeds the years around today
    response = api_as("laozhang").post(
        "/api/sla/preview",
        {
            "order_type": "complaint",
            "complaint_level": "general",
            "start": "2026-09-30T16:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    stages = response.json()["stages"]
    # Office hours; 1–7 October are holidays, Saturday 10 October is a make-up working day.
    assert stages["respond"].startswith("2026-10-08T09:00")
    assert stages["solve"].startswith("2026-10-10T16:00")


def test_preview_names_a_wrong_field(api_as):
    response = api_as("laozhang").post("/api/sla/preview", {"order_type": "fax"}, format="json")
    assert response.status_code == 400
    assert "order_type" in response.json()["errors"]


def test_preview_is_for_center_roles(api_as):
    response = api_as("outsider").post("/api/sla/preview", {"order_type": "fault"}, format="json")
    assert response.status_code == 403


def test_the_most_specific_policy_applies(db):
    vip = clocks.policy_for(clocks.PolicyKey("fault", 1, "", True))
    regular = clocks.policy_for(clocks.PolicyKey("fault", 1, "", False))
    assert (vip.name, regular.name) == ("故障一级（VIP）", "故障一级（普通）")
    vip_request = clocks.policy_for(clocks.PolicyKey("service_request", None, "", True))
    assert vip_request.name == "业务受理（VIP）"


def test_holidays_are_seeded_with_their_make_up_working_days(db):
    seed_public_holidays(PublicHoliday, [2026])  # the migration seeds the years around today
    national_day = PublicHoliday.objects.filter(date__year=2026, name="国庆节")
    assert national_day.filter(is_workday=False).count() == 7
    assert set(national_day.filter(is_workday=True).values_list("date", flat=True)) == {
        datetime.date(2026, 9, 20),
        datetime.date(2026, 10, 10),
    }


def test_seed_holidays_adds_a_year_the_library_knows_and_says_which_it_does_not(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed-holidays", year=[2025, 2099], stdout=out)
    assert PublicHoliday.objects.filter(date=datetime.date(2025, 10, 1), is_workday=False).exists()
    assert "2099: not in chinesecalendar yet" in out.getvalue()
