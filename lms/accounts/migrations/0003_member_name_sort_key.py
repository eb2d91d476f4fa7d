"""Members' names in pinyin, for lists sorted as Chinese readers expect (lms/accounts/names.py)."""

from django.db import migrations, models

from lms.accounts.names import name_sort_key


def fill_sort_keys(apps, schema_editor):
    MemberProfile = apps.get_model("accounts", "MemberProfile")
    batch = []
    for profile in MemberProfile.objects.only("pk", "real_name").iterator(chunk_size=2000):
        profile.name_sort_key = name_sort_key(profile.real_name)
        batch.append(profile)
        if len(batch) == 2000:
            MemberProfile.objects.bulk_update(batch, ["name_sort_key"])
            batch = []
    if batch:
        MemberProfile.objects.bulk_update(batch, ["name_sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="memberprofile",
            name="name_sort_key",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="name for sorting"
            ),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop, elidable=True),
    ]
