"""Wagtail admin groups for the trainer and reviewer roles (see lms.orgs.services)."""

from django.db import migrations

GROUPS = ["讲师", "审核员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
