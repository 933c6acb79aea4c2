"""Sign-in, roles, throttling, and the user commands."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from hotline.accounts.models import User
from hotline.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS
from tests.conftest import PASSWORD


def test_the_migration_creates_every_role_with_its_permissions(db):
    for role in ROLE_NAMES:
        group = Group.objects.get(name=role)
        codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert codes == set(ROLE_PERMISSIONS[role])


def test_passwords_are_hashed_with_argon2(regions, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    call_command(
        "createuser", "xiaoli", role="agent", agent_id="10077", password=PASSWORD, region=["玄武区"]
    )
    assert User.objects.get(username="xiaoli").password.startswith("argon2")


def test_createuser_gives_the_role_agent_id_and_regions(regions, capsys):
    call_command(
        "createuser",
        "xiaoli",
        role="second_line",
        agent_id="20077",
        name="李工",
        password=PASSWORD,
        region=["玄武区", "320115"],
    )
    user = User.objects.get(username="xiaoli")
    assert (user.role, user.agent_id, user.full_name) == ("second_line", "20077", "李工")
    assert sorted(user.regions.values_list("code", flat=True)) == ["320102", "320115"]
    assert "created xiaoli" in capsys.readouterr().out


def test_createuser_refuses_an_unknown_region(regions):
    with pytest.raises(CommandError, match="火星区"):
        call_command(
            "createuser", "x", role="agent", agent_id="1", password=PASSWORD, region=["火星区"]
        )
    assert not User.objects.filter(username="x").exists()


def test_token_prints_the_same_token_each_time(cast, capsys):
    call_command("token", "xiaowang")
    first = capsys.readouterr().out.strip()
    call_command("token", "xiaowang")
    assert (
        capsys.readouterr().out.strip() == first == Token.objects.get(user__username="xiaowang").key
    )


def test_an_agent_signs_in_with_a_password(cast):
    client = Client()
    response = client.post("/login/", {"username": "xiaowang", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(cast):
    client = Client()
    for _attempt in range(5):
        client.post("/login/", {"username": "xiaowang", "password": "wrong"})
    response = client.post("/login/", {"username": "xiaowang", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_page_sends_a_visitor_who_is_not_signed_in_to_the_login_page(db):
    response = Client().get("/customers/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


def test_a_users_role_and_permissions_are_read_in_one_query(cast, django_assert_num_queries):
    own = Permission.objects.get(codename="view_all_regions")
    cast["xiaowang"].user_permissions.add(own)
    user = User.objects.get(username="xiaowang")
    with django_assert_num_queries(1):
        assert user.has_perm("customers.view_all_regions")  # the user's own
        assert user.has_perm("workorders.add_workorder")  # the role's
        assert not user.has_perm("workorders.view_all_orders")
        assert user.role == "agent"
    assert user.get_user_permissions() == {"customers.view_all_regions"}
    assert set(ROLE_PERMISSIONS["agent"]) == user.get_group_permissions()


def test_a_role_without_permissions_is_still_the_users_role(cast):
    Group.objects.get(name="agent").permissions.clear()
    user = User.objects.get(username="xiaowang")
    assert user.get_all_permissions() == set()
    assert user.role == "agent"  # as the permissions' query read it


def test_a_user_with_two_roles_takes_the_first_in_the_role_table(cast):
    user = cast["xiaowang"]
    user.groups.add(Group.objects.get(name="manager"))
    user = User.objects.get(pk=user.pk)
    first = next(name for name in ROLE_NAMES if name in ("agent", "manager"))
    assert user.role == first
    assert user.has_perm("workorders.view_all_orders")  # the manager's


def test_an_inactive_user_has_no_permissions(cast):
    user = cast["laozhang"]
    user.is_active = False
    assert not user.has_perm("workorders.view_workorder")
    assert user.get_all_permissions() == set()
