"""Batch import of customers and their lines: upsert by customer key, row by row in effect,
written in chunks so that 100,000 rows take seconds, not hours.

A bad row is reported with its row number and skipped; the rows around it are
kept. Importing the same file twice finds nothing to change and writes nothing.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from hotline.accounts.models import Region
from hotline.audit.models import AuditEvent
from hotline.audit.services import audit_event_values
from hotline.bulk import insert_rows, relax_commit_durability, update_fields
from hotline.core.changes import field_changes
from hotline.customers.history import customer_snapshot, history_label, line_snapshot
from hotline.customers.import_rows import COLUMNS, ParsedRow, RowError, parse_row
from hotline.customers.models import (
    Customer,
    CustomerNumber,
    Line,
    Product,
    Subscription,
)
from hotline.customers.scope import require_permission
from hotline.customers.services import refresh_derived_fields

CHUNK_ROWS = 5000
CONTACT = CustomerNumber.Kind.CONTACT.value
LINE = CustomerNumber.Kind.LINE.value
_CUSTOMER_COLUMNS = (
    "kind",
    "name",
    "tier",
    "enterprise_grade",
    "region_id",
    "id_type",
    "id_number",
    "address",
)
_CUSTOMER_UPDATE_FIELDS = [*_CUSTOMER_COLUMNS, "is_vip", "id_tail", "updated_at"]
_LINE_COLUMNS = ("service_type", "status", "install_address", "opened_on")


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    def add_error(self, row_number: int, column: str, message: str) -> None:
        self.errors.append({"row": row_number, "column": column, "message": message})


@dataclass
class _CustomerState:
    """A customer as the chunk found it in the database and as the rows so far leave it."""

    customer: Customer
    contacts_before: list[str]
    snapshot_before: dict
    contacts: list[str]
    is_new: bool


@dataclass
class _LineState:
    line: Line
    customer_key: str
    products_before: tuple[int, ...]
    snapshot_before: dict
    products: tuple[int, ...]
    is_new: bool


class _Chunk:
    """Applies up to CHUNK_ROWS rows in memory, then writes what changed in one transaction."""

    def __init__(
        self,
        rows: list[tuple[int, ParsedRow]],
        region_names: dict[int, str],
        product_codes: dict[int, str],
    ) -> None:
        self.rows = rows
        self.region_names = region_names
        self.product_codes = product_codes
        self.customers: dict[str, _CustomerState] = {}
        self.lines: dict[str, _LineState] = {}
        # Row ids of what may have to go: (customer id, number) and (line id, product id).
        self.contact_ids: dict[tuple[int, str], int] = {}
        self.subscription_ids: dict[tuple[int, int], int] = {}

    def load(self) -> None:
        keys = {row.customer.external_key for _n, row in self.rows}
        existing = Customer.objects.in_bulk(keys, field_name="external_key")
        contacts: dict[int, list[str]] = {}
        for pk, customer_id, number in CustomerNumber.objects.filter(
            customer__in=existing.values(), kind=CustomerNumber.Kind.CONTACT
        ).values_list("pk", "customer_id", "number"):
            contacts.setdefault(customer_id, []).append(number)
            self.contact_ids[customer_id, number] = pk
        for key, customer in existing.items():
            numbers = sorted(contacts.get(customer.pk, []))
            self.customers[key] = _CustomerState(
                customer, numbers, self._customer_snapshot(customer, numbers), numbers, False
            )
        numbers = {row.line.number for _n, row in self.rows if row.line}
        lines = Line.objects.select_related("customer").in_bulk(numbers, field_name="number")
        products: dict[int, list[int]] = {}
        for pk, line_id, product_id in Subscription.objects.filter(
            line__in=lines.values()
        ).values_list("pk", "line_id", "product_id"):
            products.setdefault(line_id, []).append(product_id)
            self.subscription_ids[line_id, product_id] = pk
        for number, line in lines.items():
            held = tuple(sorted(products.get(line.pk, [])))
            self.lines[number] = _LineState(
                line, line.customer.external_key, held, self._line_snapshot(line, held), held, False
            )

    def _customer_snapshot(self, customer: Customer, contacts: list[str]) -> dict:
        return customer_snapshot(customer, contacts, self.region_names[customer.region_id])

    def _line_snapshot(self, line: Line, products: tuple[int, ...]) -> dict:
        return line_snapshot(line, [self.product_codes[pk] for pk in products])

    def apply(self, row_number: int, row: ParsedRow, report: ImportReport) -> None:
        values = row.customer
        line_values = row.line
        if line_values:
            held = self.lines.get(line_values.number)
            if held and held.customer_key != values.external_key:
                report.add_error(
                    row_number,
                    COLUMNS["number"],
                    _("号码/账号 %(number)s 已属于客户 %(key)s")
                    % {"number": line_values.number, "key": held.customer_key},
                )
                return
        state = self.customers.get(values.external_key)
        created = state is None
        if state is None:
            customer = Customer(external_key=values.external_key)
            state = _CustomerState(customer, [], {}, [], True)
            self.customers[values.external_key] = state
        changed = self._apply_customer(state, values)
        if line_values:
            line_created, line_changed = self._apply_line(state, line_values)
            created = created or line_created
            changed = changed or line_changed
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1

    def _apply_customer(self, state: _CustomerState, values) -> bool:
        customer = state.customer
        changed = False
        for name in _CUSTOMER_COLUMNS:
            if getattr(customer, name) != getattr(values, name):
                setattr(customer, name, getattr(values, name))
                changed = True
        if list(values.contact_numbers) != state.contacts:
            state.contacts = list(values.contact_numbers)
            changed = True
        refresh_derived_fields(customer)
        return changed

    def _apply_line(self, state: _CustomerState, values) -> tuple[bool, bool]:
        line_state = self.lines.get(values.number)
        if line_state is None:
            line = Line(number=values.number)
            line_state = _LineState(line, state.customer.external_key, (), {}, (), True)
            self.lines[values.number] = line_state
        line = line_state.line
        changed = False
        for name in _LINE_COLUMNS:
            if getattr(line, name) != getattr(values, name):
                setattr(line, name, getattr(values, name))
                changed = True
        if values.product_ids != line_state.products:
            line_state.products = values.product_ids
            changed = True
        return line_state.is_new, changed

    @transaction.atomic
    def write(self, *, actor, source: str, note: str) -> None:
        relax_commit_durability()
        events: list[dict] = []
        new_customers = [s.customer for s in self.customers.values() if s.is_new]
        Customer.objects.bulk_create(new_customers, batch_size=500)
        changed_customers = []
        changed_contacts = []
        for state in self.customers.values():
            after = self._customer_snapshot(state.customer, state.contacts)
            changes = field_changes(state.snapshot_before, after)
            if not changes:
                continue
            if not state.is_new:
                changed_customers.append(state.customer)
            action = AuditEvent.Action.CREATE if state.is_new else AuditEvent.Action.UPDATE
            events.append(
                audit_event_values(
                    actor=actor,
                    action=action,
                    source=source,
                    target=state.customer,
                    label=history_label(state.customer),
                    customer_id=state.customer.pk,
                    changes=changes,
                    note=note,
                )
            )
            if state.contacts != state.contacts_before:
                changed_contacts.append(state)
        update_fields(changed_customers, _CUSTOMER_UPDATE_FIELDS)
        self._write_contacts(changed_contacts)
        events.extend(self._write_lines(actor=actor, source=source, note=note))
        insert_rows(AuditEvent, events)

    def _write_contacts(self, states: list[_CustomerState]) -> None:
        added: list[dict] = []
        removed: list[int] = []
        for state in states:
            removed.extend(
                self.contact_ids[state.customer.pk, number]
                for number in set(state.contacts_before) - set(state.contacts)
            )
            added.extend(
                {"customer_id": state.customer.pk, "number": number, "kind": CONTACT}
                for number in sorted(set(state.contacts) - set(state.contacts_before))
            )
        CustomerNumber.objects.filter(pk__in=removed).delete()
        insert_rows(CustomerNumber, added)

    def _write_lines(self, *, actor, source: str, note: str) -> list[dict]:
        for line_state in self.lines.values():
            if line_state.is_new:
                line_state.line.customer = self.customers[line_state.customer_key].customer
        new_lines = [s.line for s in self.lines.values() if s.is_new]
        Line.objects.bulk_create(new_lines, batch_size=500)
        insert_rows(
            CustomerNumber,
            [
                {
                    "customer_id": line.customer_id,
                    "number": line.number,
                    "kind": LINE,
                    "line_id": line.pk,
                }
                for line in new_lines
            ],
        )
        events = []
        changed_lines = []
        added: list[dict] = []
        dropped: list[int] = []
        for state in self.lines.values():
            changes = field_changes(
                state.snapshot_before, self._line_snapshot(state.line, state.products)
            )
            if not changes:
                continue
            if not state.is_new:
                changed_lines.append(state.line)
            dropped.extend(
                self.subscription_ids[state.line.pk, product_id]
                for product_id in set(state.products_before) - set(state.products)
            )
            added.extend(
                {"line_id": state.line.pk, "product_id": product_id}
                for product_id in sorted(set(state.products) - set(state.products_before))
            )
            action = AuditEvent.Action.CREATE if state.is_new else AuditEvent.Action.UPDATE
            events.append(
                audit_event_values(
                    actor=actor,
                    action=action,
                    source=source,
                    target=state.line,
                    customer_id=state.line.customer_id,
                    label=history_label(state.line),
                    changes=changes,
                    note=note,
                )
            )
        update_fields(changed_lines, _LINE_COLUMNS)
        Subscription.objects.filter(pk__in=dropped).delete()
        insert_rows(Subscription, added)
        return events


def import_customer_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    actor,
    source: str,
    note: str = "",
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert customers (and the line each row may carry) from (row number, cells) pairs.

    Rows are applied in file order: a later row for the same customer key wins.
    `actor` None is the system itself (the command line run by an operator).
    """
    if actor is not None:
        require_permission(actor, "customers.import_customers")
    regions: dict[str, int] = {}
    region_names: dict[int, str] = {}
    for pk, code, name in Region.objects.values_list("pk", "code", "name"):
        regions[code] = regions[name] = pk
        region_names[pk] = name
    product_codes = dict(Product.objects.values_list("pk", "code"))
    products = {code: pk for pk, code in product_codes.items()}
    report = ImportReport()
    iterator: Iterator[tuple[int, dict[str, str]]] = iter(rows)
    while batch := list(islice(iterator, CHUNK_ROWS)):
        parsed: list[tuple[int, ParsedRow]] = []
        for row_number, cells in batch:
            report.total_rows += 1
            try:
                parsed.append((row_number, parse_row(cells, regions, products)))
            except RowError as error:
                report.add_error(row_number, error.column, error.message)
        chunk = _Chunk(parsed, region_names, product_codes)
        chunk.load()
        for row_number, row in parsed:
            chunk.apply(row_number, row, report)
        chunk.write(actor=actor, source=source, note=note)
        if on_progress:
            on_progress(len(batch))
    return report
