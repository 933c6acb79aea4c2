"""How the REST API behaves: validation errors, lists, lookup, history, schema, tokens."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hotline.audit.models import AuditEvent
from hotline.customers.models import Customer
from hotline.customers.services import create_customer

OLD_ADDRESS = "南京市玄武区中山路100号月牙湖花园3栋2单元501室"
NEW_ADDRESS = "南京市玄武区北京东路1号"


@pytest.fixture
def enterprise_customer(cast, regions):
    """金陵软件 of 玄武区: an enterprise of grade B, regular tier, so not VIP."""
    return create_customer(
        actor=cast["admin"],
        source="web",
        values={
            "name": "金陵软件有限公司",
            "kind": "enterprise",
            "tier": "regular",
            "enterprise_grade": "B",
            "region": regions["玄武区"],
            "id_type": "credit_code",
            "id_number": "",
            "address": "南京市玄武区珠江路88号",
            "contact_numbers": ["02584001234", "13812999999"],
            "external_key": "NJ000000003",
        },
    )


@pytest.fixture
def three_customers(customer, enterprise_customer, jiangning_customer):
    return customer, enterprise_customer, jiangning_customer


def names_in(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {row["name"] for row in response.json()["results"]}


def new_customer(regions, **changes) -> dict:
    return {
        "name": "赵丽",
        "kind": "individual",
        "tier": "regular",
        "region": regions["玄武区"].pk,
        "id_type": "resident_id",
        "contact_numbers": ["13700001234"],
        **changes,
    }


def assert_refused_naming(response, field: str) -> None:
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    [message] = body["errors"][field]
    assert isinstance(message, str) and message


# Validation: a wrong field is refused with 400 and JSON that names it.


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"tier": "platinum"}, "tier", id="tier"),
        pytest.param(
            {"id_number": "320102198001010017"}, "id_number", id="resident-id-check-digit"
        ),
        pytest.param({"contact_numbers": ["1381234567"]}, "contact_numbers", id="contact-number"),
        pytest.param({"enterprise_grade": "A"}, "enterprise_grade", id="grade-of-an-individual"),
        pytest.param({"external_key": "NJ000000001"}, "external_key", id="duplicate-external-key"),
    ],
)
def test_a_customer_with_a_wrong_field_is_refused_naming_the_field(
    api_as, regions, customer, changes, field
):
    response = api_as("xiaowang").post(
        "/api/customers/", new_customer(regions, **changes), format="json"
    )
    assert_refused_naming(response, field)
    assert not Customer.objects.filter(name="赵丽").exists()


def test_a_line_with_a_number_already_taken_is_refused_naming_the_number(api_as, customer):
    response = api_as("admin").post(
        "/api/lines/",
        {
            "customer": customer.pk,
            "service_type": "mobile",
            "number": "138-1234-5678",
        },
        format="json",
    )
    assert_refused_naming(response, "number")


def test_a_valid_customer_is_created_with_its_numbers_normalised(api_as, regions):
    response = api_as("xiaowang").post(
        "/api/customers/",
        new_customer(
            regions,
            id_number="320102198001010016",
            contact_numbers=["+86 137-0000-1234"],
        ),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["contact_numbers"] == ["137****1234"]
    created = Customer.objects.get(pk=response.json()["id"])
    assert created.numbers.get().number == "13700001234"


# Lists: paginated and filterable.


@pytest.mark.parametrize("path", ["customers", "lines", "products", "regions", "imports"])
def test_every_list_is_paginated(api_as, customer, path):
    body = api_as("admin").get(f"/api/{path}/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"])


def test_a_long_customer_list_comes_in_pages_of_fifty(api_as, regions):
    Customer.objects.bulk_create(
        Customer(
            external_key=f"NJ1{number:08d}", name=f"客户{number:02d}", region=regions["玄武区"]
        )
        for number in range(51)
    )
    client = api_as("zhaomgr")
    first = client.get("/api/customers/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (51, 50, None)
    second = client.get(first["next"]).json()
    assert [row["name"] for row in second["results"]] == ["客户50"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({"tier": "gold"}, {"王建国"}, id="tier"),
        pytest.param({"kind": "enterprise"}, {"金陵软件有限公司"}, id="kind"),
        pytest.param({"is_vip": "true"}, {"王建国"}, id="vip"),
        pytest.param({"is_vip": "false"}, {"金陵软件有限公司", "刘芳"}, id="not-vip"),
        pytest.param({"q": "1381234"}, {"王建国"}, id="number-prefix"),
        pytest.param({"q": "13812"}, {"王建国", "金陵软件有限公司"}, id="shorter-number-prefix"),
        pytest.param({"q": "王建"}, {"王建国"}, id="name-prefix"),
        pytest.param({"q": "月牙湖"}, {"王建国"}, id="address-word"),
        pytest.param({"q": "0016"}, {"王建国"}, id="id-tail"),
        pytest.param(
            {"q": "南京市", "tier": "regular"}, {"金陵软件有限公司", "刘芳"}, id="text-and-tier"
        ),
    ],
)
def test_customer_lists_can_be_filtered(api_as, three_customers, query, expected):
    assert names_in(api_as("zhaomgr").get("/api/customers/", query)) == expected


def test_customer_lists_can_be_filtered_by_region(api_as, regions, three_customers):
    response = api_as("zhaomgr").get("/api/customers/", {"region": regions["江宁区"].pk})
    assert names_in(response) == {"刘芳"}


def test_a_filter_with_an_unknown_value_is_refused_naming_it(api_as, customer):
    response = api_as("zhaomgr").get("/api/customers/", {"tier": "platinum"})
    assert_refused_naming(response, "tier")


# Caller-number lookup (screen-pop).


def test_a_caller_number_is_looked_up_as_people_write_it(api_as, customer):
    response = api_as("xiaowang").get("/api/customers/lookup/", {"number": "+86 138-1234-5678"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [customer.pk]


def test_a_lookup_of_something_that_is_not_a_number_is_refused(api_as, customer):
    response = api_as("xiaowang").get("/api/customers/lookup/", {"number": "王建国"})
    assert_refused_naming(response, "number")


def test_a_lookup_without_a_number_is_refused(api_as, customer):
    assert_refused_naming(api_as("xiaowang").get("/api/customers/lookup/"), "number")


# Audit history.


def test_a_partial_update_records_exactly_the_changed_fields(api_as, cast, customer):
    response = api_as("xiaowang").patch(
        f"/api/customers/{customer.pk}/",
        {
            "name": "王建国",
            "tier": "diamond",
            "address": NEW_ADDRESS,
        },
        format="json",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="update", target_type="customer")
    assert event.changes == {"tier": ["gold", "diamond"], "address": [OLD_ADDRESS, NEW_ADDRESS]}
    assert (event.actor, event.source, event.customer_id) == (cast["xiaowang"], "api", customer.pk)


def test_a_partial_update_that_changes_nothing_records_nothing(api_as, customer):
    response = api_as("xiaowang").patch(
        f"/api/customers/{customer.pk}/", {"tier": "gold"}, format="json"
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="update").exists()


def test_the_history_lists_the_changes_newest_first(api_as, customer):
    api_as("xiaowang").patch(f"/api/customers/{customer.pk}/", {"tier": "diamond"}, format="json")
    rows = api_as("xiaowang").get(f"/api/customers/{customer.pk}/history/").json()["results"]
    assert [(row["action"], row["target_type"]) for row in rows] == [
        ("update", "customer"),
        ("create", "line"),
        ("create", "line"),
        ("create", "customer"),
    ]
    assert rows[0]["changes"] == {"tier": ["gold", "diamond"]}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_history_is_read_only(api_as, customer, method):
    response = getattr(api_as("admin"), method)(
        f"/api/customers/{customer.pk}/history/", {}, format="json"
    )
    assert response.status_code == 405


def test_an_agent_sees_masked_values_in_the_history(api_as, customer):
    response = api_as("xiaowang").get(f"/api/customers/{customer.pk}/history/")
    created = next(
        row
        for row in response.json()["results"]
        if (row["action"], row["target_type"]) == ("create", "customer")
    )
    assert created["changes"]["contact_numbers"] == [None, ["138****5678"]]
    assert created["changes"]["id_number"] == [None, "3201**********0016"]
    assert created["changes"]["address"] == [None, "南京市玄武区****"]
    text = response.content.decode()
    assert "13812345678" not in text and "320102198001010016" not in text


def test_a_second_line_handler_sees_whole_values_in_the_history(api_as, customer):
    response = api_as("ligong").get(f"/api/customers/{customer.pk}/history/")
    created = next(
        row
        for row in response.json()["results"]
        if (row["action"], row["target_type"]) == ("create", "customer")
    )
    assert created["changes"]["contact_numbers"] == [None, ["13812345678"]]
    assert created["changes"]["id_number"] == [None, "320102198001010016"]


# Schema and authentication.


def test_the_openapi_schema_lists_the_customer_endpoints(api_as):
    response = api_as("xiaowang").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/customers/", "/api/customers/{id}/", "/api/customers/lookup/"} <= set(paths)


def test_the_api_docs_page_is_served(api_as):
    response = api_as("xiaowang").get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_a_token_signs_the_caller_in(cast):
    token = Token.objects.create(user=cast["xiaowang"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert (response.json()["username"], response.json()["role"]) == ("xiaowang", "agent")


def test_a_token_carries_the_role_and_data_scope_of_its_user(cast, customer, jiangning_customer):
    token = Token.objects.create(user=cast["xiaowang"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    [row] = client.get("/api/customers/").json()["results"]
    assert (row["name"], row["contact_numbers"]) == ("王建国", ["138****5678"])


def test_a_wrong_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/me/").status_code in (401, 403)
