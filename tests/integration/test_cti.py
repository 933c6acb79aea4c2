"""Telephony events (CTI) and the screen pop on the agent's desk."""

import datetime

import pytest

from hotline.contacts.models import AgentPresence, AgentStateInterval, Contact


@pytest.fixture
def telephony(api_as):
    """The telephony system posts as a user holding contacts.receive_cti_events."""
    return api_as("admin")


def ring(telephony, call_id="1700000000.1", number="13812345678", agent_id="10001"):
    return telephony.post(
        "/api/cti/events",
        {
            "event": "ringing",
            "call_id": call_id,
            "caller_number": number,
            "called_number": "10000",
            "queue": "GEN",
            "agent_id": agent_id,
        },
        format="json",
    )


def test_a_ring_from_a_known_number_is_matched_to_the_customer(telephony, customer, cast):
    response = ring(telephony)
    assert response.status_code == 202
    contact = Contact.objects.get()
    assert (contact.customer, contact.agent, contact.status) == (
        customer,
        cast["xiaowang"],
        "ringing",
    )


def test_events_of_one_call_update_one_contact(telephony, customer):
    ring(telephony)
    ring(telephony)
    telephony.post(
        "/api/cti/events",
        {"event": "answered", "call_id": "1700000000.1", "caller_number": "13812345678"},
        format="json",
    )
    telephony.post(
        "/api/cti/events",
        {"event": "ended", "call_id": "1700000000.1", "caller_number": "13812345678"},
        format="json",
    )
    contact = Contact.objects.get()
    assert contact.status == "ended"
    assert contact.answered_at is not None and contact.ended_at is not None


def test_the_ring_pops_once_on_the_right_agents_desk(telephony, customer, api_as):
    ring(telephony)
    other = api_as("laozhang").get("/api/cti/pop")
    assert other.status_code == 204
    pop = api_as("xiaowang").get("/api/cti/pop")
    assert pop.status_code == 200
    assert pop.json()["customer"] == customer.pk
    assert api_as("xiaowang").get("/api/cti/pop").status_code == 204


def test_an_unknown_number_pops_without_a_customer(telephony, cast, api_as):
    ring(telephony, number="13900009999")
    pop = api_as("xiaowang").get("/api/cti/pop").json()
    assert (pop["customer"], pop["caller_number"]) == (None, "13900009999")


def test_a_bad_event_names_the_field(telephony, cast):
    response = telephony.post(
        "/api/cti/events",
        {"event": "exploded", "call_id": "1", "caller_number": "abc"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"event", "caller_number"}


@pytest.mark.parametrize("username", ["xiaowang", "zhaomgr", "outsider"])
def test_only_the_telephony_integration_may_post_events(api_as, username, cast):
    assert ring(api_as(username)).status_code == 403


def post(telephony, **event):
    return telephony.post("/api/cti/events", event, format="json")


def test_a_queued_call_answered_and_ended_records_its_wait_and_talk(telephony, cast):
    call = {"call_id": "1700000000.7", "caller_number": "13812345678", "queue": "GEN"}
    post(telephony, event="queued", at="2026-11-02T09:00:00+08:00", **call)
    post(telephony, event="ringing", agent_id="10001", at="2026-11-02T09:00:12+08:00", **call)
    post(telephony, event="answered", at="2026-11-02T09:00:15+08:00", **call)
    post(telephony, event="ended", at="2026-11-02T09:03:15+08:00", **call)
    contact = Contact.objects.get()
    assert (contact.outcome, contact.wait_s, contact.talk_s) == ("answered", 15.0, 180.0)
    assert (contact.agent, contact.status) == (cast["xiaowang"], "ended")


def test_a_call_that_ends_unanswered_is_abandoned_after_its_wait(telephony, cast):
    call = {"call_id": "1700000000.8", "caller_number": "13812345678", "queue": "GEN"}
    post(telephony, event="queued", at="2026-11-02T09:00:00+08:00", **call)
    post(telephony, event="abandoned", at="2026-11-02T09:00:40+08:00", **call)
    post(telephony, event="ended", at="2026-11-02T09:00:41+08:00", **call)
    contact = Contact.objects.get()
    assert (contact.outcome, contact.wait_s, contact.status) == ("abandoned", 40.0, "ended")


def test_a_call_transferred_to_a_second_queue_is_a_contact_in_each(telephony, cast):
    call = {"call_id": "1700000000.9", "caller_number": "13812345678"}
    post(telephony, event="queued", queue="GEN", **call)
    post(telephony, event="queued", queue="BROADBAND", **call)
    post(telephony, event="answered", **call)  # no queue named: the latest visit
    assert Contact.objects.count() == 2
    assert Contact.objects.get(queue="BROADBAND").outcome == "answered"
    assert Contact.objects.get(queue="GEN").outcome == ""


def test_agent_state_events_close_each_state_into_an_interval(telephony, cast):
    def state(name, at, reason=""):
        return post(
            telephony, event="agent_state", agent_id="10001", state=name, reason=reason, at=at
        )

    state("ready", "2026-11-02T09:00:00+08:00")
    state("not_ready", "2026-11-02T09:30:00+08:00", reason="meal")
    response = state("ready", "2026-11-02T10:00:00+08:00")
    assert response.status_code == 202
    intervals = list(
        AgentStateInterval.objects.values_list("state", "reason", "started_at", "ended_at")
    )
    nine = datetime.datetime(2026, 11, 2, 1, 0, tzinfo=datetime.UTC)
    half = datetime.timedelta(minutes=30)
    assert intervals == [
        ("ready", "", nine, nine + half),
        ("not_ready", "meal", nine + half, nine + 2 * half),
    ]
    assert AgentPresence.objects.get(agent=cast["xiaowang"]).state == "ready"
    state("not_ready", "2026-11-02T09:30:00+08:00", reason="meal")  # replayed late: ignored
    assert AgentStateInterval.objects.count() == 2


def test_an_event_without_what_it_needs_names_the_fields(telephony, cast):
    response = post(telephony, event="answered")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"call_id", "caller_number"}
    response = post(telephony, event="agent_state", agent_id="77777", state="ready")
    assert set(response.json()["errors"]) == {"agent_id"}
    response = post(telephony, event="agent_state", agent_id="10001", state="asleep")
    assert set(response.json()["errors"]) == {"state"}
