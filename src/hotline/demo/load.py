"""Loading the demo center: organisation, staff with printed passwords, products, customers."""

import secrets
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction

from hotline.accounts.models import Department, Region, SkillGroup, Team, User
from hotline.accounts.services import create_user
from hotline.audit.models import AuditEvent
from hotline.customers.importing import ImportReport, import_customer_rows
from hotline.customers.models import Product
from hotline.demo import city
from hotline.demo.customers import demo_rows
from hotline.workorders.notices import CENTRE_HEAD_PERMISSION


def demo_is_loaded() -> bool:
    return User.objects.filter(username=city.STAFF[0][0]).exists()


@transaction.atomic
def load_organisation() -> list[tuple[str, str, str, str]]:
    """Regions, teams, skills, products and staff; returns (username, role, agent ID, password)."""
    for code, name, _streets, _estates in city.DISTRICTS:
        Region.objects.update_or_create(code=code, defaults={"name": name})
    departments = {
        name: Department.objects.get_or_create(name=name)[0] for name in city.DEPARTMENTS
    }
    for name, department in city.TEAMS:
        Team.objects.get_or_create(name=name, defaults={"department": departments[department]})
    for code, name in city.SKILL_GROUPS:
        SkillGroup.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, service_type, fee in city.PRODUCTS:
        Product.objects.update_or_create(
            code=code,
            defaults={"name": name, "service_type": service_type, "monthly_fee": Decimal(fee)},
        )
    credentials = []
    for username, role, agent_id, full_name, team, skills, regions in city.STAFF:
        password = secrets.token_urlsafe(9)
        create_user(
            username=username,
            password=password,
            role=role,
            agent_id=agent_id,
            full_name=full_name,
            regions=regions,
            team=team or None,
            skill_groups=skills,
        )
        credentials.append((username, role, agent_id, password))
    # The centre head (中心负责人) hears of complaints at the top of the reporting chain.
    User.objects.get(username=city.CENTRE_HEAD).user_permissions.add(
        Permission.objects.get(
            content_type__app_label="workorders", codename=CENTRE_HEAD_PERMISSION
        )
    )
    return credentials


def load_customers(
    customers: int, seed: int, on_progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Customers through the same import path as a real file, so the demo is audited alike."""
    return import_customer_rows(
        demo_rows(customers, seed),
        actor=None,
        source=AuditEvent.Source.IMPORT,
        note=f"demo data, seed {seed}",
        on_progress=on_progress,
    )
