"""Background jobs of the customer base; each is safe to run twice."""

from celery import shared_task

from hotline.customers.import_batches import run_import_batch


@shared_task(name="customers.run_customer_import")
def run_customer_import(batch_id: int) -> None:
    run_import_batch(batch_id)
