"""Who may manage, choose and read documents.

A document belongs to an organisation, like videos and question banks: trainers whose role
covers it manage it (edit, replace, delete); trainers below it may put it in their lessons
(the chooser); one without an organisation is the platform's (site admins manage it, every
trainer may use it). Reading one needs what reading its course needs: a member reads it when
a live lesson of a course they may see uses it (`CoursePage.objects.visible_to`); whoever may
use it, or works on a course whose lessons use it (previews), reads it too. Which lessons use
a document comes from Wagtail's reference index (one indexed lookup), not from scanning lesson
bodies.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from wagtail.models import Collection, ReferenceIndex
from wagtail.permissions import register_permission_policy

from courses.models import CoursePage, LessonPage
from courses.permissions import course_organizations
from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.policies import OrganizationOwnedPolicy

from .models import CourseDocument

TRAINER_ROLES = (OrgRole.Kind.TRAINER,)


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def upload_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations a user may put documents in (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def default_organization(user: User) -> PartyOrganization | None:
    """Where a new document goes unless the trainer says otherwise: the widest organisation
    they train (none for a site admin without a trainer role: the whole platform)."""
    return org_permissions.widest_organization_with_role(user, TRAINER_ROLES)


def manageable_documents(user: User | AnonymousUser) -> QuerySet[CourseDocument]:
    """Documents the user may edit, replace and delete."""
    if not _active(user):
        return CourseDocument.objects.none()
    if user.is_superuser:
        return CourseDocument.objects.all()
    return CourseDocument.objects.filter(organization__in=upload_organizations(user))


def usable_documents(user: User | AnonymousUser) -> QuerySet[CourseDocument]:
    """Documents the user may put into a lesson: theirs, those of the organisations above
    their trainer roles, and the platform's."""
    if not _active(user):
        return CourseDocument.objects.none()
    if user.is_superuser:
        return CourseDocument.objects.all()
    if not upload_organizations(user).exists():
        return CourseDocument.objects.none()
    return CourseDocument.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__in=upload_organizations(user))
        | Q(organization__in=org_permissions.organizations_above(user, TRAINER_ROLES))
    )


def _lessons_using(document: CourseDocument) -> list[tuple[str, bool]]:
    """(path, live) of the lessons whose body uses the document."""
    ids = ReferenceIndex.get_references_to(document).filter(
        content_type=ContentType.objects.get_for_model(LessonPage)
    )
    lesson_ids = {int(pk) for pk in ids.values_list("object_id", flat=True)}
    if not lesson_ids:
        return []
    return list(LessonPage.objects.filter(pk__in=lesson_ids).values_list("path", "live"))


def may_read_document(user: User | AnonymousUser, document: CourseDocument) -> bool:
    """Whether the user may download the document (`/documents/<id>/<name>`)."""
    if not _active(user):
        return False
    if usable_documents(user).filter(pk=document.pk).exists():
        return True
    lessons = _lessons_using(document)
    if not lessons:
        return False
    step = CoursePage.steplen
    live_courses = {path[:-step] for path, live in lessons if live}
    if live_courses and CoursePage.objects.visible_to(user).filter(path__in=live_courses).exists():
        return True
    all_courses = {path[:-step] for path, _live in lessons}
    return CoursePage.objects.filter(
        path__in=all_courses, managed_by__in=course_organizations(user)
    ).exists()


class DocumentPermissionPolicy(OrganizationOwnedPolicy[CourseDocument]):
    """The organisation rule for Wagtail's document views: "choose" (the chooser) covers the
    documents the trainer may use, every other action those they manage. Collections are
    folders here, not permissions: whoever works with documents may file them in any."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "choose":
            return usable_documents(user).filter(pk=instance.pk).exists()
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if set(actions) <= {"choose"}:
            return usable_documents(user)
        return manageable_documents(user)

    def collections_user_has_any_permission_for(self, user, actions):
        if not self._may_work(user):
            return Collection.objects.none()
        return Collection.objects.all()

    def collections_user_has_permission_for(self, user, action):
        return self.collections_user_has_any_permission_for(user, [action])


register_permission_policy(
    CourseDocument,
    DocumentPermissionPolicy(
        CourseDocument,
        roles=TRAINER_ROLES,
        owner_of=lambda document: document.organization,
        manageable=lambda user: manageable_documents(user),
    ),
    exact_class=True,
)
