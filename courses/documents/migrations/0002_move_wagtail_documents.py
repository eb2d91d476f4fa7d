"""Existing documents move from Wagtail's own model to CourseDocument, keeping their ids (lesson
bodies refer to documents by id), files, tags, usage records and search entries. Each goes to
the widest organisation its uploader trains; one uploaded by someone without a trainer role
(a site admin) becomes the platform's."""

from django.core.management.color import no_style
from django.db import migrations

TRAINER = "trainer"
COPIED_FIELDS = (
    "id",
    "title",
    "file",
    "created_at",
    "uploaded_by_user_id",
    "collection_id",
    "file_size",
    "file_hash",
)


def _widest_trainer_organizations(apps) -> dict[int, int]:
    OrgRole = apps.get_model("orgs", "OrgRole")
    widest: dict[int, int] = {}
    for user_id, organization_id in (
        OrgRole.objects.filter(role=TRAINER)
        .order_by("organization__depth", "organization__path")
        .values_list("user_id", "organization_id")
    ):
        widest.setdefault(user_id, organization_id)
    return widest


def _move(apps, connection, source, target, owners=None) -> None:
    """Copy every row of `source` to `target` with the same id, repoint what refers to them by
    content type, delete the originals and let `target`'s id sequence continue past them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Source = apps.get_model(*source)
    Target = apps.get_model(*target)
    rows = list(Source.objects.values(*COPIED_FIELDS))
    if not rows:
        return
    for row in rows:
        extra = {}
        if owners is not None:
            extra["organization_id"] = owners.get(row["uploaded_by_user_id"])
        Target.objects.create(**row, **extra)
        # auto_now_add stamped the copy with today: give it back its own date.
        Target.objects.filter(pk=row["id"]).update(created_at=row["created_at"])
    old_type, _created = ContentType.objects.get_or_create(
        app_label=source[0], model=source[1].lower()
    )
    new_type, _created = ContentType.objects.get_or_create(
        app_label=target[0], model=target[1].lower()
    )
    ids = [row["id"] for row in rows]
    text_ids = [str(pk) for pk in ids]
    apps.get_model("taggit", "TaggedItem").objects.filter(
        content_type=old_type, object_id__in=ids
    ).update(content_type=new_type)
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ReferenceIndex.objects.filter(to_content_type=old_type, to_object_id__in=text_ids).update(
        to_content_type=new_type
    )
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    # Entries the copies may already have got (only the live models index on save).
    IndexEntry.objects.filter(content_type=new_type, object_id__in=text_ids).delete()
    IndexEntry.objects.filter(content_type=old_type, object_id__in=text_ids).update(
        content_type=new_type
    )
    Source.objects.filter(pk__in=ids).delete()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(statement)


def move_documents(apps, schema_editor) -> None:
    _move(
        apps,
        schema_editor.connection,
        ("wagtaildocs", "Document"),
        ("course_documents", "CourseDocument"),
        owners=_widest_trainer_organizations(apps),
    )


def move_back(apps, schema_editor) -> None:
    _move(
        apps,
        schema_editor.connection,
        ("course_documents", "CourseDocument"),
        ("wagtaildocs", "Document"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("course_documents", "0001_initial"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0002_role_admin_groups"),
    ]

    operations = [migrations.RunPython(move_documents, move_back)]
