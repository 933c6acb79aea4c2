"""The cast every test shares, with their access written down once.

- 小王 (agent, 工号 10001): 玄武区 only; sees masked personal data.
- 老张 (team_lead): 玄武区; masked.
- 李工 (second_line): 玄武区 and 江宁区; sees personal data whole.
- 陈姐 (complaint_handler): 玄武区; sees personal data whole, may change customers.
- 周质检 (qa_inspector): 玄武区; reads customers, masked, no history.
- 吴排班 (wfm_planner): no customer access at all.
- 赵经理 (manager): every region, whole data, imports.
- 管理员 (admin): everything.
- 路人 (outsider): signed in, no role.

Where they sit: 小王 and 老张 in 综合服务一班 (客户服务中心, the first line); 李工 and
小刘 in 网络维护部 (faults are dispatched there); 陈姐 in 投诉处理中心.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import translation
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient

from hotline.accounts.models import Department, Region, Team, User
from hotline.customers.models import Product
from hotline.customers.services import create_customer, create_line
from hotline.workorders.clocks import forget_cached_setup

# Properties are checked for truth, not speed: a loaded 2-core CI machine must not fail them.
settings.register_profile("hotline", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("hotline")

PASSWORD = "correct-horse-42"

CAST = {
    # username: (role, agent ID, name, regions)
    "xiaowang": ("agent", "10001", "小王", ["玄武区"]),
    "laozhang": ("team_lead", "10002", "老张", ["玄武区"]),
    "xiaoliu": ("second_line", "20002", "小刘", ["玄武区"]),
    "ligong": ("second_line", "20001", "李工", ["玄武区", "江宁区"]),
    "chenjie": ("complaint_handler", "30001", "陈姐", ["玄武区"]),
    "zhouqa": ("qa_inspector", "40001", "周质检", ["玄武区"]),
    "wuwfm": ("wfm_planner", "50001", "吴排班", []),
    "zhaomgr": ("manager", "60001", "赵经理", []),
    "admin": ("admin", "90001", "管理员", []),
    "outsider": (None, "99999", "路人", ["玄武区"]),
}
ROLES = [role for role, *_rest in CAST.values() if role]
FIRST_LINE_TEAM = ("综合服务一班", "客户服务中心")
# username: team (and its department) or department; departments come from the seed migration.
PLACEMENT = {
    "xiaowang": FIRST_LINE_TEAM,
    "laozhang": FIRST_LINE_TEAM,
    "xiaoliu": (None, "网络维护部"),
    "ligong": (None, "网络维护部"),
    "chenjie": (None, "投诉处理中心"),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests of other things need not pay for it on every user.

    tests/integration/test_accounts.py checks that real passwords are hashed with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_time_limit_setup():
    """Each test sees the calendars and policies of its own database, not a cached copy."""
    forget_cached_setup()


@pytest.fixture(autouse=True)
def chinese_by_default():
    """A test that switches the language must not leave it switched for the next one."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db):
    return {
        name: Region.objects.create(code=code, name=name)
        for code, name in [("320102", "玄武区"), ("320115", "江宁区"), ("320106", "鼓楼区")]
    }


@pytest.fixture
def products(db):
    return {
        code: Product.objects.create(code=code, name=name, service_type=service, monthly_fee=fee)
        for code, name, service, fee in [
            ("M5G129", "5G畅享套餐129元", "mobile", 129),
            ("MCLIP", "来电显示", "mobile", 5),
            ("BB300", "宽带300M", "broadband", 80),
        ]
    }


@pytest.fixture
def cast(regions):
    users = {}
    for username, (role, agent_id, name, region_names) in CAST.items():
        user = User.objects.create_user(
            username=username, password=PASSWORD, agent_id=agent_id, full_name=name
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        user.regions.set([regions[region] for region in region_names])
        _place(user, *PLACEMENT.get(username, (None, None)))
        users[username] = User.objects.get(pk=user.pk)  # fresh, without cached permissions
    return users


def _place(user: User, team_name: str | None, department_name: str | None) -> None:
    if department_name is None:
        return
    department, _created = Department.objects.get_or_create(name=department_name)
    if team_name:
        user.team, _created = Team.objects.get_or_create(name=team_name, department=department)
    else:
        user.department = department
    user.save(update_fields=["team", "department"])


def user_with_role(cast, role: str) -> User:
    return next(user for user in cast.values() if user.role == role)


@pytest.fixture
def customer(cast, regions, products):
    """王建国 of 玄武区, a gold (VIP) customer with a mobile line and broadband."""
    admin = cast["admin"]
    person = create_customer(
        actor=admin,
        source="web",
        values={
            "name": "王建国",
            "kind": "individual",
            "tier": "gold",
            "region": regions["玄武区"],
            "id_type": "resident_id",
            "id_number": "320102198001010016",
            "address": "南京市玄武区中山路100号月牙湖花园3栋2单元501室",
            "contact_numbers": ["13812345678"],
            "external_key": "NJ000000001",
        },
    )
    create_line(
        actor=admin,
        source="web",
        customer=person,
        values={
            "service_type": "mobile",
            "number": "13812345678",
            "status": "active",
            "products": [products["M5G129"]],
        },
    )
    create_line(
        actor=admin,
        source="web",
        customer=person,
        values={
            "service_type": "broadband",
            "number": "KD02500000001",
            "status": "active",
            "install_address": "南京市玄武区中山路100号月牙湖花园3栋2单元501室",
            "products": [products["BB300"]],
        },
    )
    return person


@pytest.fixture
def jiangning_customer(cast, regions):
    """A customer of 江宁区, outside 小王's data scope."""
    return create_customer(
        actor=cast["admin"],
        source="web",
        values={
            "name": "刘芳",
            "kind": "individual",
            "tier": "regular",
            "region": regions["江宁区"],
            "id_type": "resident_id",
            "id_number": "",
            "address": "南京市江宁区双龙大道1号",
            "contact_numbers": ["13900001111"],
            "external_key": "NJ000000002",
        },
    )


@pytest.fixture
def api_as(cast):
    def client_for(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(cast[username])
        return client

    return client_for
