"""The review workflow (提交审核 → 审核通过 / 退回修改) and what trainers and reviewers may do.

Trainers (讲师) add and edit pages but cannot publish: their only way to make a page live is to
submit it to the workflow, where a reviewer (审核员) approves it (and it is published) or sends
it back with a comment. Wagtail keeps every step (workflow and task states, the page log).

Both groups hold their page permissions on each course catalogue (课程中心) — so on its courses
and lessons — and nowhere else: not on the home page, not on another site's pages. A catalogue
created later gets them when it is created (`grant_catalog_permissions`, from receivers.py).

`ensure_review_workflow(apps)` takes an app registry so the data migration can run it on
historical models and tests can run it on the real ones (transactional tests empty the tables).
"""

from django.apps import apps as global_apps

TRAINER_GROUP = "讲师"
REVIEWER_GROUP = "审核员"
WORKFLOW_NAME = "课程审核"
TASK_NAME = "审核员审核"

TRAINER_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
REVIEWER_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ("add_image", "change_image", "choose_image"),
    ("wagtaildocs", "document"): ("add_document", "change_document", "choose_document"),
}
TOPIC_PERMISSIONS = ("add_coursetopic", "change_coursetopic", "view_coursetopic")


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    # Django creates permissions after migrations; on a fresh database they do not exist yet.
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def grant_catalog_permissions(catalog_id: int, apps=global_apps) -> None:
    """Give trainers and reviewers their page permissions on one course catalogue."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for name, codenames in (
        (TRAINER_GROUP, TRAINER_PAGE_PERMISSIONS),
        (REVIEWER_GROUP, REVIEWER_PAGE_PERMISSIONS),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=catalog_id,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )


def ensure_review_workflow(apps=global_apps) -> None:
    """Create (or repair) the groups' permissions (page permissions on every catalogue) and
    the review workflow on the page root."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CatalogPage = apps.get_model("courses", "CatalogPage")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    trainers, _created = Group.objects.get_or_create(name=TRAINER_GROUP)
    reviewers, _created = Group.objects.get_or_create(name=REVIEWER_GROUP)
    root = Page.objects.filter(depth=1).order_by("path").first()
    collection = Collection.objects.filter(depth=1).order_by("path").first()

    # Earlier installs granted page permissions on the root; they now live on catalogues.
    if root is not None:
        GroupPagePermission.objects.filter(group__in=[trainers, reviewers], page=root).delete()
    for catalog_id in CatalogPage.objects.values_list("pk", flat=True):
        grant_catalog_permissions(catalog_id, apps)

    for group in (trainers, reviewers):
        group.permissions.add(access_admin)
        group.permissions.add(
            *(_permission(apps, "courses", "coursetopic", c) for c in TOPIC_PERMISSIONS)
        )
        if collection is not None:
            for (app_label, model), codenames in COLLECTION_PERMISSIONS.items():
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=collection,
                        permission=_permission(apps, app_label, model, codename),
                    )

    # The task is a CourseReviewTask (reviewers kept to their organisations' courses) from
    # migration 0008 on; earlier migrations only know Wagtail's plain group approval.
    try:
        apps.get_model("courses", "CourseReviewTask")
        task_type = ("courses", "coursereviewtask")
    except LookupError:
        task_type = ("wagtailcore", "groupapprovaltask")
    content_type = ContentType.objects.get_or_create(app_label=task_type[0], model=task_type[1])[0]
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, active=True, content_type=content_type
        )
    elif task.content_type_id != content_type.pk:
        GroupApprovalTask.objects.filter(pk=task.pk).update(content_type=content_type)
    task.groups.set([reviewers])
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
