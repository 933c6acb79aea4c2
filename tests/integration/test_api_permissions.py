"""Who may call which API endpoint, whose customers they see, and what of them they see.

The matrix below is written out by hand on purpose: it restates the role table of
hotline/accounts/roles.py as behaviour, so a mistaken change there fails here.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient

from hotline.accounts.models import Department
from hotline.audit.models import AuditEvent
from hotline.customers.models import Customer, ImportBatch
from hotline.notifications.models import Notification
from hotline.workorders import services
from hotline.workorders.models import Category
from tests.conftest import CAST
from tests.orders import open_order

USERNAME = {role or "outsider": username for username, (role, *_rest) in CAST.items()}


@dataclass(frozen=True)
class World:
    """The ids an endpoint's path and body refer to."""

    customer: int
    line: int
    product: int
    region: int
    batch: int
    order: int  # a fault of 王建国 owned by 小王, dispatched to 网络维护部 (李工's)
    category: int
    department: int  # 投诉处理中心, where a transfer may send the order
    notification: int  # 管理员's own: for everyone else it does not exist


@pytest.fixture
def world(settings, tmp_path, cast, regions, products, customer):
    settings.MEDIA_ROOT = tmp_path  # an accepted upload is kept on disk
    batch = ImportBatch.objects.create(
        uploaded_by=cast["admin"], original_name="customers.csv", file="imports/customers.csv"
    )
    order = open_order(cast["xiaowang"], customer, "broadband.down", "宽带断网")
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=order)
    return World(
        customer=customer.pk,
        line=customer.lines.get(service_type="mobile").pk,
        product=products["M5G129"].pk,
        region=regions["玄武区"].pk,
        batch=batch.pk,
        order=order.pk,
        category=Category.objects.get(code="billing.query").pk,
        department=Department.objects.get(name="投诉处理中心").pk,
        notification=Notification.objects.create(
            recipient=cast["admin"], event="workorder.dispatch", title="工单 GD20260001 已派单"
        ).pk,
    )


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # under /api/, with {customer}, {line}, ... from the World
    body: Callable[[World], dict] | None = None
    multipart: bool = False

    def send(self, client: APIClient, world: World):
        url = "/api/" + self.path.format(**vars(world))
        send = getattr(client, self.method.lower())
        if self.body is None:
            return send(url)
        return send(url, self.body(world), format="multipart" if self.multipart else "json")


def _new_customer(world: World) -> dict:
    return {"name": "赵丽", "region": world.region, "contact_numbers": ["13700001234"]}


def _whole_customer(world: World) -> dict:
    return {
        "name": "王建国",
        "kind": "individual",
        "tier": "diamond",
        "region": world.region,
        "id_type": "resident_id",
        "id_number": "320102198001010016",
        "address": "南京市玄武区中山路100号月牙湖花园3栋2单元501室",
        "contact_numbers": ["13812345678"],
    }


def _new_line(world: World) -> dict:
    return {"customer": world.customer, "service_type": "mobile", "number": "13900002222"}


def _whole_line(world: World) -> dict:
    return {
        "customer": world.customer,
        "service_type": "mobile",
        "number": "13812345678",
        "status": "suspended",
    }


def _upload(world: World) -> dict:
    return {
        "file": SimpleUploadedFile(
            "customers.csv", "客户编号,客户名称,区域\n".encode(), content_type="text/csv"
        )
    }


def _new_order(world: World) -> dict:
    return {
        "customer": world.customer,
        "order_type": "inquiry",
        "category": world.category,
        "description": "查询本月话费",
    }


# Every step carries what any step needs, so a refusal is about who and when, not the body.
def _step(world: World) -> dict:
    return {
        "reason": "原因",
        "department": world.department,
        "text": "已处理",
        "satisfied": True,
        "root_cause": "根因",
        "fix": "整改",
    }


def _ring(world: World) -> dict:
    return {
        "event": "ringing",
        "call_id": "c1",
        "caller_number": "13812345678",
        "agent_id": "10001",
    }


STEPS = [
    "close_at_first_contact",
    "solve_at_first_contact",
    "escalate",
    "dispatch",
    "accept",
    "start",
    "arrive_on_site",
    "reply",
    "transfer",
    "send_back",
    "suspend",
    "resume",
    "urge",
    "supervise",
    "callback",
]

CALLS = {
    "GET customers": Call("GET", "customers/"),
    "POST customers": Call("POST", "customers/", _new_customer),
    "GET customers/{id}": Call("GET", "customers/{customer}/"),
    "PUT customers/{id}": Call("PUT", "customers/{customer}/", _whole_customer),
    "PATCH customers/{id}": Call(
        "PATCH", "customers/{customer}/", lambda world: {"tier": "silver"}
    ),
    "GET customers/{id}/history": Call("GET", "customers/{customer}/history/"),
    "GET customers/lookup": Call("GET", "customers/lookup/?number=13812345678"),
    "GET lines": Call("GET", "lines/"),
    "POST lines": Call("POST", "lines/", _new_line),
    "GET lines/{id}": Call("GET", "lines/{line}/"),
    "PUT lines/{id}": Call("PUT", "lines/{line}/", _whole_line),
    "PATCH lines/{id}": Call("PATCH", "lines/{line}/", lambda world: {"status": "suspended"}),
    "GET products": Call("GET", "products/"),
    "GET products/{id}": Call("GET", "products/{product}/"),
    "GET regions": Call("GET", "regions/"),
    "GET regions/{id}": Call("GET", "regions/{region}/"),
    "GET imports": Call("GET", "imports/"),
    "POST imports": Call("POST", "imports/", _upload, multipart=True),
    "GET imports/{id}": Call("GET", "imports/{batch}/"),
    "GET me": Call("GET", "me/"),
    "GET notifications": Call("GET", "notifications/"),
    "POST notifications/{id}/read": Call("POST", "notifications/{notification}/read/"),
    "POST notifications/read-all": Call("POST", "notifications/read-all/"),
    "GET notifications/unread-count": Call("GET", "notifications/unread-count/"),
    "GET schema": Call("GET", "schema/"),
    "GET docs": Call("GET", "docs/"),
    "GET orders": Call("GET", "orders/"),
    "POST orders": Call("POST", "orders/", _new_order),
    "GET orders/{id}": Call("GET", "orders/{order}/"),
    "GET orders/{id}/history": Call("GET", "orders/{order}/history/"),
    **{
        f"POST orders/{{id}}/{step}": Call("POST", f"orders/{{order}}/{step}/", _step)
        for step in STEPS
    },
    "GET categories": Call("GET", "categories/"),
    "GET categories/{id}": Call("GET", "categories/{category}/"),
    "POST sla/preview": Call("POST", "sla/preview", lambda world: {"order_type": "fault"}),
    "POST cti/events": Call("POST", "cti/events", _ring),
    "GET cti/pop": Call("GET", "cti/pop"),
    "GET reports/orders": Call("GET", "reports/orders?from=2026-10-01&to=2026-10-31"),
    "GET reports/calls": Call("GET", "reports/calls?from=2026-10-01&to=2026-10-31"),
    "GET reports/calls/records": Call(
        "GET",
        "reports/calls/records?from=2026-10-01&to=2026-10-31&kpi=offered&period=2026-10-01&key=GEN",
    ),
}

COLUMNS = (
    "agent",
    "team_lead",
    "second_line",
    "complaint_handler",
    "qa_inspector",
    "wfm_planner",
    "manager",
    "admin",
    "outsider",
)
# fmt: off
EXPECTED = {
    #                              agent lead  2nd  compl  qa   wfm   mgr  admin outsider
    "GET customers":               (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "POST customers":              (201, 201,  403, 403,  403, 403,  403, 201,  403),
    "GET customers/{id}":          (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "PUT customers/{id}":          (200, 200,  403, 200,  403, 403,  403, 200,  403),
    "PATCH customers/{id}":        (200, 200,  403, 200,  403, 403,  403, 200,  403),
    "GET customers/{id}/history":  (200, 200,  200, 200,  403, 403,  200, 200,  403),
    "GET customers/lookup":        (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "GET lines":                   (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "POST lines":                  (403, 403,  403, 403,  403, 403,  403, 201,  403),
    "GET lines/{id}":              (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "PUT lines/{id}":              (403, 403,  403, 403,  403, 403,  403, 200,  403),
    "PATCH lines/{id}":            (403, 403,  403, 403,  403, 403,  403, 200,  403),
    "GET products":                (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "GET products/{id}":           (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "GET regions":                 (200, 200,  200, 200,  200, 200,  200, 200,  200),
    "GET regions/{id}":            (200, 200,  200, 200,  200, 200,  200, 200,  200),
    "GET imports":                 (403, 403,  403, 403,  403, 403,  200, 200,  403),
    "POST imports":                (403, 403,  403, 403,  403, 403,  202, 202,  403),
    "GET imports/{id}":            (403, 403,  403, 403,  403, 403,  200, 200,  403),
    "GET me":                      (200, 200,  200, 200,  200, 200,  200, 200,  200),
    "GET notifications":           (200, 200,  200, 200,  200, 200,  200, 200,  403),
    "POST notifications/{id}/read":
                                   (404, 404,  404, 404,  404, 404,  404, 200,  403),
    "POST notifications/read-all": (200, 200,  200, 200,  200, 200,  200, 200,  403),
    "GET notifications/unread-count":
                                   (200, 200,  200, 200,  200, 200,  200, 200,  403),
    "GET schema":                  (200, 200,  200, 200,  200, 200,  200, 200,  403),
    "GET docs":                    (200, 200,  200, 200,  200, 200,  200, 200,  403),
    "GET orders":                  (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "POST orders":                 (201, 201,  403, 201,  403, 403,  201, 201,  403),
    "GET orders/{id}":             (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "GET orders/{id}/history":     (200, 200,  200, 200,  403, 403,  200, 200,  403),
    # The order is dispatched: a step that cannot start there is 409 for whoever sees it;
    # one that can is for its parties only (the lifecycle table in core/lifecycle.py).
    "POST orders/{id}/close_at_first_contact":
                                   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/solve_at_first_contact":
                                   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/escalate":   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/dispatch":   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/accept":     (403, 403,  200, 403,  403, 403,  403, 403,  403),
    "POST orders/{id}/start":      (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/arrive_on_site":
                                   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/reply":      (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/transfer":   (403, 200,  200, 403,  403, 403,  200, 200,  403),
    "POST orders/{id}/send_back":  (403, 403,  200, 403,  403, 403,  403, 403,  403),
    "POST orders/{id}/suspend":    (403, 200,  200, 403,  403, 403,  200, 200,  403),
    "POST orders/{id}/resume":     (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "POST orders/{id}/urge":       (200, 200,  403, 403,  403, 403,  200, 200,  403),
    "POST orders/{id}/supervise":  (403, 403,  403, 403,  403, 403,  200, 200,  403),
    "POST orders/{id}/callback":   (409, 409,  409, 409,  409, 403,  409, 409,  403),
    "GET categories":              (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "GET categories/{id}":         (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "POST sla/preview":            (200, 200,  200, 200,  200, 403,  200, 200,  403),
    "POST cti/events":             (403, 403,  403, 403,  403, 403,  403, 202,  403),
    "GET cti/pop":                 (204, 204,  204, 204,  204, 204,  204, 204,  403),
    "GET reports/orders":          (403, 200,  403, 403,  403, 403,  200, 200,  403),
    "GET reports/calls":           (403, 200,  403, 403,  403, 200,  200, 200,  403),
    "GET reports/calls/records":   (403, 200,  403, 403,  403, 200,  200, 200,  403),
}
# fmt: on
MATRIX = [
    pytest.param(role, endpoint, status, id=f"{role}-{endpoint}")
    for endpoint, statuses in EXPECTED.items()
    for role, status in zip(COLUMNS, statuses, strict=True)
]


def test_the_matrix_lists_every_api_endpoint_and_every_role():
    served = {
        f"{method} {path.removeprefix('/api/').rstrip('/').replace('{pk}', '{id}')}"
        for path, _regex, method, _view in EndpointEnumerator().get_api_endpoints()
    }
    assert served == set(EXPECTED) == set(CALLS)
    assert set(COLUMNS) == set(USERNAME)


@pytest.mark.parametrize(("role", "endpoint", "status"), MATRIX)
def test_each_role_may_call_exactly_the_endpoints_its_permissions_allow(
    api_as, world, role, endpoint, status
):
    response = CALLS[endpoint].send(api_as(USERNAME[role]), world)
    assert response.status_code == status, response.content[:300]


@pytest.mark.parametrize("endpoint", list(CALLS))
def test_an_anonymous_caller_is_refused_everywhere(world, endpoint):
    response = CALLS[endpoint].send(APIClient(), world)
    assert response.status_code in (401, 403)


# Data scope: 小王 (agent) is given 玄武区 only; 刘芳 is a customer of 江宁区.


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("get", "/api/customers/{}/", None, id="retrieve"),
        pytest.param("get", "/api/customers/{}/history/", None, id="history"),
        pytest.param(
            "put",
            "/api/customers/{}/",
            lambda regions: {"name": "刘芳", "tier": "gold", "region": regions["江宁区"].pk},
            id="update",
        ),
        pytest.param(
            "patch", "/api/customers/{}/", lambda regions: {"tier": "gold"}, id="partial_update"
        ),
    ],
)
def test_an_agent_gets_404_for_a_customer_outside_their_regions(
    api_as, regions, jiangning_customer, method, path, body
):
    send = getattr(api_as("xiaowang"), method)
    url = path.format(jiangning_customer.pk)
    response = send(url) if body is None else send(url, body(regions), format="json")
    assert response.status_code == 404


def test_an_agent_does_not_see_a_customer_outside_their_regions_in_the_list(
    api_as, customer, jiangning_customer
):
    names = [row["name"] for row in api_as("xiaowang").get("/api/customers/").json()["results"]]
    assert names == ["王建国"]


def test_an_agent_does_not_find_a_customer_outside_their_regions_by_the_calling_number(
    api_as, jiangning_customer
):
    response = api_as("xiaowang").get("/api/customers/lookup/", {"number": "13900001111"})
    assert response.status_code == 200
    assert response.json() == []


def test_an_agent_cannot_create_a_customer_outside_their_regions(api_as, regions):
    response = api_as("xiaowang").post(
        "/api/customers/",
        {
            "name": "孙强",
            "region": regions["江宁区"].pk,
            "contact_numbers": ["13700009999"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]
    assert not Customer.objects.filter(name="孙强").exists()


def test_a_manager_sees_customers_of_every_region(api_as, customer, jiangning_customer):
    client = api_as("zhaomgr")
    names = [row["name"] for row in client.get("/api/customers/").json()["results"]]
    assert sorted(names) == sorted(["王建国", "刘芳"])
    assert client.get(f"/api/customers/{jiangning_customer.pk}/").status_code == 200


# Masking: 王建国's contact number is 13812345678, ID 320102198001010016.

CUSTOMER_READERS = [
    "agent",
    "team_lead",
    "second_line",
    "complaint_handler",
    "qa_inspector",
    "manager",
    "admin",
]
UNMASKED_ROLES = ["second_line", "complaint_handler", "manager", "admin"]
MASKED_ROLES = ["agent", "team_lead", "qa_inspector"]


@pytest.mark.parametrize("role", CUSTOMER_READERS)
def test_everyone_sees_masked_personal_data_in_customer_lists(api_as, customer, role):
    [row] = api_as(USERNAME[role]).get("/api/customers/").json()["results"]
    assert row["contact_numbers"] == ["138****5678"]
    assert row["id_number"] == "3201**********0016"
    assert row["address"] == "南京市玄武区****"


@pytest.mark.parametrize("role", UNMASKED_ROLES)
def test_roles_that_may_see_personal_data_see_one_customer_whole(api_as, customer, role):
    body = api_as(USERNAME[role]).get(f"/api/customers/{customer.pk}/").json()
    assert body["contact_numbers"] == ["13812345678"]
    assert body["id_number"] == "320102198001010016"
    assert body["address"] == "南京市玄武区中山路100号月牙湖花园3栋2单元501室"
    assert {line["number"] for line in body["lines"]} == {"13812345678", "KD02500000001"}


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_other_roles_see_one_customer_masked(api_as, customer, role):
    body = api_as(USERNAME[role]).get(f"/api/customers/{customer.pk}/").json()
    assert body["contact_numbers"] == ["138****5678"]
    assert body["id_number"] == "3201**********0016"
    assert body["address"] == "南京市玄武区****"
    assert {line["number"] for line in body["lines"]} == {"138****5678", "KD0******0001"}


@pytest.mark.parametrize("role", UNMASKED_ROLES)
def test_seeing_a_customer_whole_is_recorded_once(api_as, cast, customer, role):
    api_as(USERNAME[role]).get(f"/api/customers/{customer.pk}/")
    reveals = AuditEvent.objects.filter(action="reveal", customer_id=customer.pk)
    assert [(event.actor, event.source) for event in reveals] == [(cast[USERNAME[role]], "api")]


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_seeing_a_customer_masked_is_not_recorded_as_a_reveal(api_as, customer, role):
    response = api_as(USERNAME[role]).get(f"/api/customers/{customer.pk}/")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_a_step_on_an_order_outside_the_callers_scope_is_404_like_a_missing_one(
    api_as, cast, jiangning_customer
):
    order = open_order(cast["zhaomgr"], jiangning_customer, "billing.query", "查询本月话费")
    agent = api_as("xiaowang")
    assert agent.post(f"/api/orders/{order.pk}/urge/", {}, format="json").status_code == 404
    assert agent.post(f"/api/orders/{order.pk + 1}/urge/", {}, format="json").status_code == 404
    assert AuditEvent.objects.filter(target_type="workorder", target_id=order.pk).count() == 1


def test_escalating_through_the_api_without_a_department_dispatches_to_the_categorys(
    api_as, cast, customer
):
    order = open_order(cast["xiaowang"], customer, "broadband.down", "宽带无法上网")
    response = api_as("xiaowang").post(f"/api/orders/{order.pk}/escalate/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "dispatched"
    assert Department.objects.get(pk=response.json()["department"]).name == "网络维护部"
