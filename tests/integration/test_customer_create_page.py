"""建档 for an unknown caller from the desk."""

from django.test import Client

from hotline.audit.models import AuditEvent
from hotline.contacts.services import record_cti_event
from hotline.customers.models import Customer


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_unknown_caller_is_given_a_record_and_the_desk_opens_it(cast, regions):
    contact = record_cti_event(
        event="ringing", call_id="c-9", caller_number="13900009999", agent_id="10001"
    )
    page = desk(cast["xiaowang"]).get(f"/customers/new/?number=13900009999&contact={contact.pk}")
    assert page.status_code == 200
    assert 'value="13900009999"' in page.content.decode()
    response = desk(cast["xiaowang"]).post(
        f"/customers/new/?contact={contact.pk}",
        {"name": "赵先生", "contact_number": "13900009999", "region": regions["玄武区"].pk},
    )
    customer = Customer.objects.get(name="赵先生")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/?contact={contact.pk}"
    assert AuditEvent.objects.filter(customer_id=customer.pk, action="create").exists()


def test_the_region_must_be_one_of_the_agents(cast, regions):
    response = desk(cast["xiaowang"]).post(
        "/customers/new/",
        {"name": "赵先生", "contact_number": "13900009999", "region": regions["江宁区"].pk},
    )
    assert response.status_code == 200
    assert not Customer.objects.exists()


def test_a_bad_number_is_named(cast, regions):
    response = desk(cast["xiaowang"]).post(
        "/customers/new/",
        {"name": "赵先生", "contact_number": "12", "region": regions["玄武区"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_number"]


def test_roles_that_do_not_open_records_may_not(cast):
    assert desk(cast["ligong"]).get("/customers/new/").status_code == 403
    assert desk(cast["wuwfm"]).get("/customers/new/").status_code == 403
