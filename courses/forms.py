"""The course page's admin form: a course is managed by one of the organisations the trainer
or reviewer works for (by default the widest); a site admin may leave it to the site admins.
Its audience lies inside those organisations too (by default the widest of them)."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from courses.documents.permissions import usable_documents
from courses.h5p.permissions import usable_packages
from lms.orgs.forms import limit_audience
from media_pipeline.permissions import manageable_videos
from quizzes.permissions import usable_quizzes

from .permissions import COURSE_ROLES, course_organizations, default_course_owner


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        field = self.fields["managed_by"]
        field.queryset = course_organizations(user).order_by("path")
        field.required = True
        field.error_messages["invalid_choice"] = _(
            "Choose an organisation your trainer or reviewer role covers."
        )
        if not self.instance.pk and self.initial.get("managed_by") is None:
            self.initial["managed_by"] = default_course_owner(user)
        audience = self.fields["audience"]
        limit_audience(audience, user, COURSE_ROLES)
        if audience.required and not self.instance.pk and not self.initial.get("audience"):
            self.initial["audience"] = [default_course_owner(user)]


class LessonPageForm(WagtailAdminPageForm):
    """The lesson's admin form: whatever a body block chooses (a lecture video, an H5P
    activity, a quiz, a document) must be one the trainer may use — what the choosers offer
    them. A chosen id typed into the form by hand is refused with the reason; what the lesson
    held before stays (a colleague above may have put it there)."""

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        if user is None or user.is_superuser or "body" not in cleaned:
            return cleaned
        before = {
            (kind, obj.pk) for kind, obj in _chosen(self.instance.body if self.instance.pk else [])
        }
        refused = []
        for kind, obj in _chosen(cleaned["body"]):
            if (kind, obj.pk) in before:
                continue
            if not USABLE[kind](user).filter(pk=obj.pk).exists():
                refused.append(str(obj))
        if refused:
            self.add_error(
                "body",
                _("You may not use %(items)s in your lessons: choose from the list offered.")
                % {"items": "、".join(f"「{name}」" for name in refused)},
            )
        return cleaned


# Body block → (its chooser's value key, what the user may choose).
CHOSEN = {"video": "video", "h5p": "package", "quiz": "quiz", "document": "document"}
USABLE = {
    "video": manageable_videos,
    "h5p": usable_packages,
    "quiz": usable_quizzes,
    "document": usable_documents,
}


def _chosen(body) -> list[tuple[str, object]]:
    """(block type, chosen object) of every chooser block in a body."""
    found = []
    for block in body:
        key = CHOSEN.get(block.block_type)
        value = block.value.get(key) if key else None
        if value is not None:
            found.append((block.block_type, value))
    return found
