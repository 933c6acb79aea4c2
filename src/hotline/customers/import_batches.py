"""Uploaded import files: queued, claimed by one worker, run, and their outcome kept."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hotline.audit.models import AuditEvent
from hotline.customers.import_files import FileFormatError, read_customer_rows
from hotline.customers.importing import import_customer_rows
from hotline.customers.models import ImportBatch
from hotline.customers.scope import require_permission

# The upload page shows this many row errors; the API and the batch keep them all.
SHOWN_ERRORS = 200


def queue_customer_import(*, actor, upload) -> ImportBatch:
    """Keep the uploaded file and queue its import after the upload commits."""
    require_permission(actor, "customers.import_customers")
    batch = ImportBatch(uploaded_by=actor, original_name=Path(upload.name).name[:200])
    batch.file.save(Path(upload.name).name, upload, save=False)
    batch.save()
    from hotline.customers.tasks import run_customer_import

    transaction.on_commit(lambda: run_customer_import.delay(batch.pk))
    return batch


def run_import_batch(batch_id: int) -> None:
    """Run a queued batch; a batch another worker already claimed is left alone."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING
    )
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    try:
        report = import_customer_rows(
            read_customer_rows(Path(batch.file.path)),
            actor=batch.uploaded_by,
            source=AuditEvent.Source.IMPORT,
            note=f"import batch {batch.pk}: {batch.original_name}",
        )
    except FileFormatError as error:
        batch.status = ImportBatch.Status.FAILED
        batch.failure = str(error)
    else:
        batch.status = ImportBatch.Status.DONE
        batch.total_rows = report.total_rows
        batch.created_count = report.created
        batch.updated_count = report.updated
        batch.unchanged_count = report.unchanged
        batch.error_count = len(report.errors)
        batch.errors = report.errors
    batch.finished_at = timezone.now()
    batch.save()
