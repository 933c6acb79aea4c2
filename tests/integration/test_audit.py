"""Every change to a customer or a line is in the history, and the history cannot be changed."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from hotline.audit.models import AppendOnlyError, AuditEvent
from hotline.customers.services import update_customer, update_line


def test_creating_a_customer_records_every_filled_field(customer):
    event = AuditEvent.objects.get(target_type="customer", action="create")
    assert event.customer_id == customer.pk
    assert event.actor_label == "90001 管理员"
    assert set(event.changes) == {
        "kind",
        "name",
        "tier",
        "region",
        "id_type",
        "id_number",
        "address",
        "contact_numbers",
    }
    assert event.changes["region"] == [None, "玄武区"]


@pytest.mark.parametrize(
    ("field", "value", "recorded"),
    [
        ("name", "王建军", "王建军"),
        ("tier", "diamond", "diamond"),
        ("kind", "enterprise", "enterprise"),
        ("id_type", "passport", "passport"),
        ("id_number", "E12345678", "E12345678"),
        ("address", "南京市玄武区北京东路1号", "南京市玄武区北京东路1号"),
        ("contact_numbers", ["13912345678"], ["13912345678"]),
    ],
)
def test_each_customer_field_change_is_recorded_from_old_to_new(
    customer, cast, field, value, recorded
):
    before = AuditEvent.objects.get(target_type="customer", action="create").changes[field][1]
    update_customer(actor=cast["chenjie"], source="web", customer=customer, values={field: value})
    event = AuditEvent.objects.get(target_type="customer", action="update")
    assert event.changes == {field: [before, recorded]}
    assert event.actor == cast["chenjie"]


def test_moving_a_customer_to_another_region_is_recorded(customer, cast, regions):
    update_customer(
        actor=cast["admin"], source="api", customer=customer, values={"region": regions["鼓楼区"]}
    )
    event = AuditEvent.objects.get(action="update")
    assert (event.changes, event.source) == ({"region": ["玄武区", "鼓楼区"]}, "api")


def test_enterprise_grade_change_is_recorded(customer, cast):
    update_customer(
        actor=cast["admin"],
        source="web",
        customer=customer,
        values={"kind": "enterprise", "enterprise_grade": "A"},
    )
    assert AuditEvent.objects.get(action="update").changes == {
        "kind": ["individual", "enterprise"],
        "enterprise_grade": ["", "A"],
    }


@pytest.mark.parametrize(
    ("field", "value", "recorded"),
    [
        ("status", "arrears", "arrears"),
        ("install_address", "南京市玄武区龙蟠路9号", "南京市玄武区龙蟠路9号"),
        ("service_type", "fixed", "fixed"),
    ],
)
def test_each_line_field_change_is_recorded(customer, cast, field, value, recorded):
    line = customer.lines.get(number="KD02500000001")
    old = AuditEvent.objects.get(target_type="line", target_id=line.pk).changes.get(
        field, [None, ""]
    )[1]
    update_line(actor=cast["admin"], source="web", line=line, values={field: value})
    event = AuditEvent.objects.get(target_type="line", action="update")
    assert event.changes == {field: [old, recorded]}
    assert event.customer_id == customer.pk


def test_changing_a_lines_products_is_recorded_by_product_code(customer, cast, products):
    line = customer.lines.get(number="13812345678")
    update_line(
        actor=cast["admin"],
        source="web",
        line=line,
        values={"products": [products["M5G129"], products["MCLIP"]]},
    )
    assert AuditEvent.objects.get(action="update").changes == {
        "products": [["M5G129"], ["M5G129", "MCLIP"]]
    }


def test_saving_without_a_change_records_nothing(customer, cast):
    update_customer(actor=cast["admin"], source="web", customer=customer, values={"name": "王建国"})
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_recorded_event_cannot_be_saved_again_or_deleted(customer):
    event = AuditEvent.objects.first()
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(note="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_history(customer):
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET note = 'tampered'")
    assert not AuditEvent.objects.filter(note="tampered").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses DELETE too")
def test_postgresql_refuses_to_delete_history(customer):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table}")


def test_no_page_or_admin_screen_lets_even_an_admin_change_history(customer, cast):
    cast["admin"].is_staff = True
    cast["admin"].save()
    client = Client()
    client.force_login(cast["admin"])
    event = AuditEvent.objects.first()
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"note": "tampered"})
    assert response.status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert not AuditEvent.objects.filter(note="tampered").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_history_api_is_read_only(customer, api_as, method):
    response = getattr(api_as("admin"), method)(
        f"/api/customers/{customer.pk}/history/", {"note": "x"}, format="json"
    )
    assert response.status_code == 405


def test_the_360_view_shows_the_history_with_personal_data_masked_for_an_agent(customer, cast):
    client = Client()
    client.force_login(cast["xiaowang"])
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "变更历史" in page
    assert "13812345678" not in page
    assert "138****5678" in page
