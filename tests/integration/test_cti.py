"""Telephony events (CTI) and the screen pop on the agent's desk."""

import pytest

from hotline.contacts.models import Contact


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
