"""The course page's admin form: a course is managed by one of the organisations the trainer
or reviewer works for (by default the widest); a site admin may leave it to the site admins.
Its audience lies inside those organisations too (by default the widest of them)."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from lms.orgs.forms import limit_audience

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
