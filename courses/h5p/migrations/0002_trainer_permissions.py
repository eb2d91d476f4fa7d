"""Trainers (the 讲师 admin group, see lms.orgs.services) upload and manage H5P activities."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINER_GROUP = "讲师"
CODENAMES = ["add_h5ppackage", "change_h5ppackage", "delete_h5ppackage", "view_h5ppackage"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("h5p")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _created = Group.objects.get_or_create(name=TRAINER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="h5p", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name=TRAINER_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="h5p", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0001_initial"),
        ("orgs", "0002_role_admin_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
