"""Replace Wagtail's placeholder root page with the platform's HomePage."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("core.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="zh-hans")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    homepage_type, _created = ContentType.objects.get_or_create(model="homepage", app_label="core")
    homepage = HomePage.objects.create(
        title="首页",
        draft_title="首页",
        slug="home",
        content_type=homepage_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
    )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", root_page=homepage, is_default_site=True, site_name="党建慕课"
    )


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("core.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="zh-hans")
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage.objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="core").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
