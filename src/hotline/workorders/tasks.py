from celery import shared_task
from django.utils import timezone

from hotline.workorders.sweep import sweep_time_limits as sweep


@shared_task(name="hotline.workorders.tasks.sweep_time_limits")
def sweep_time_limits() -> dict:
    result = sweep(timezone.now())
    return {"warnings": result.warnings, "breaches": result.breaches}
