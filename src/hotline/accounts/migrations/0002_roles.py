"""The eight roles as groups (hotline.accounts.roles).

Their permissions are given by the post_migrate hook in apps.py, after every app's
migrations have run: a role may hold permissions of apps migrated after this one.
"""

from django.db import migrations

from hotline.accounts.roles import ROLE_NAMES


def create_roles(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
