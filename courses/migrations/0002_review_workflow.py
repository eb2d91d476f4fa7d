"""The review workflow (提交审核 → 审核通过 / 退回修改) on the whole page tree, and the page,
image, document and topic permissions of the 讲师 and 审核员 groups (see courses.workflow)."""

from django.db import migrations


def create_workflow(apps, schema_editor):
    from courses.workflow import ensure_review_workflow

    ensure_review_workflow(apps)


def remove_workflow(apps, schema_editor):
    from courses.workflow import TASK_NAME, WORKFLOW_NAME

    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(
        workflow__name=WORKFLOW_NAME
    ).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("orgs", "0002_role_admin_groups"),
        ("core", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
