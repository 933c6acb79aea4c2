"""What two workers or two agents do at the same moment (PostgreSQL: real row locks)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from hotline.audit.models import AuditEvent
from hotline.customers.import_batches import run_import_batch
from hotline.customers.models import Customer, ImportBatch
from hotline.customers.services import update_customer
from tests.integration.threads import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency runs on PostgreSQL; SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_workers_never_run_the_same_import_batch(cast, products):
    rows = "\n".join(f"C{index},客户{index},玄武区" for index in range(300))
    batch = ImportBatch(uploaded_by=cast["zhaomgr"], original_name="c.csv")
    batch.file.save("c.csv", ContentFile(("客户编号,客户名称,区域\n" + rows).encode()))

    at_once(lambda: run_import_batch(batch.pk), lambda: run_import_batch(batch.pk))

    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 300)
    assert AuditEvent.objects.filter(source="import").count() == 300


def test_two_agents_changing_one_customer_leave_a_consistent_history(customer, cast):
    at_once(
        lambda: update_customer(
            actor=cast["chenjie"], source="web", customer=customer, values={"tier": "diamond"}
        ),
        lambda: update_customer(
            actor=cast["admin"], source="web", customer=customer, values={"tier": "silver"}
        ),
    )
    first, second = AuditEvent.objects.filter(action="update").order_by("id")
    assert first.changes["tier"][0] == "gold"
    assert second.changes["tier"][0] == first.changes["tier"][1]
    assert Customer.objects.get(pk=customer.pk).tier == second.changes["tier"][1]
