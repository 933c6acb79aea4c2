from django.contrib import admin

from hotline.customers.models import Customer, ImportBatch, Line, Product
from hotline.read_only_admin import ReadOnlyAdmin


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ["external_key", "name", "kind", "tier", "is_vip", "region"]
    list_filter = ["tier", "kind", "is_vip", "region"]
    # Django admin's default search: the comparison point of benchmarks/customer_search.py.
    search_fields = ["name", "external_key", "id_number", "address", "numbers__number"]


@admin.register(Line)
class LineAdmin(ReadOnlyAdmin):
    list_display = ["number", "service_type", "status", "customer"]
    list_filter = ["service_type", "status"]
    raw_id_fields = ["customer"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "status", "created_at", "total_rows", "error_count"]


admin.site.register(Product, list_display=["code", "name", "service_type", "monthly_fee"])
