from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_roles_in_line(sender, using, **kwargs) -> None:
    """After every migrate (and every flush), the role groups match hotline.accounts.roles."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from hotline.accounts.roles import sync_roles

    # Other apps' permissions may not exist yet when this app's signal comes.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles(Group, Permission)


class AccountsConfig(AppConfig):
    name = "hotline.accounts"
    label = "accounts"
    verbose_name = _("人员与权限")

    def ready(self) -> None:
        post_migrate.connect(_keep_roles_in_line, sender=self, dispatch_uid="hotline-roles")
