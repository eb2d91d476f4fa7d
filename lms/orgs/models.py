"""The party organisation tree (党委 > 党总支 > 党支部), roles held in it, transfer history."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class PartyOrganization(MP_Node):
    """A party organisation; its materialised path makes subtree queries one indexed prefix scan."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General party branch")
        BRANCH = "branch", _("Party branch")

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Unique code of the organisation, used by imports and reports."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        indexes = [
            # LIKE 'prefix%' uses this index on PostgreSQL whatever the database collation.
            models.Index(
                fields=["path"], name="orgs_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet["PartyOrganization"]:
        """This organisation and all below it."""
        return PartyOrganization.objects.filter(self.in_subtree(""))

    def in_subtree(self, relation: str = "organization") -> Q:
        """A filter for rows that belong to this subtree through `relation`, the lookup path
        to an organisation ("organization", "profile__organization", "course__managed_by";
        "" for organisations themselves): one indexed prefix scan on the materialised path.
        Every "belongs to this subtree" query of the platform is built with it."""
        return self.path_in_subtree(self.path, relation)

    @staticmethod
    def path_in_subtree(path: str, relation: str = "organization") -> Q:
        """`in_subtree` for the organisation with this path (when only its path is at hand)."""
        lookup = f"{relation}__path__startswith" if relation else "path__startswith"
        return Q(**{lookup: path})

    @classmethod
    def in_any_subtree(cls, paths: Iterable[str], relation: str = "organization") -> Q:
        """Rows in any of the subtrees with these paths (none for no paths)."""
        terms = [cls.path_in_subtree(path, relation) for path in paths]
        return reduce(or_, terms) if terms else Q(pk__in=[])

    @classmethod
    def line_of_path(cls, path: str) -> list[str]:
        """Paths of the organisation with this path and of all above it (no query)."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]

    def line_paths(self) -> list[str]:
        """Paths of this organisation and all above it, read off its own path (no query)."""
        return self.line_of_path(self.path)

    def covers(self, other: "PartyOrganization") -> bool:
        """Whether `other` is this organisation or below it."""
        return other.path.startswith(self.path)

    def ancestors_and_self(self) -> list["PartyOrganization"]:
        return [*self.get_ancestors(), self]

    @property
    def breadcrumb(self) -> str:
        return " / ".join(org.name for org in self.ancestors_and_self())


class OrgRole(models.Model):
    """A role held in an organisation; it covers that organisation's whole subtree."""

    class Kind(models.TextChoices):
        BRANCH_HEAD = "branch_head", _("Branch secretary")
        ORGANISER = "organiser", _("Organisation committee member")
        TRAINER = "trainer", _("Trainer")
        REVIEWER = "reviewer", _("Reviewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="org_roles",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        PartyOrganization,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="orgs_role_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_role_display()} · {self.user}"


class MemberTransfer(models.Model):
    """One move of a member between organisations (组织关系转接); never edited, only added."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="transfers",
        verbose_name=_("member"),
    )
    from_organization = models.ForeignKey(
        PartyOrganization,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        null=True,
        blank=True,
        verbose_name=_("from organisation"),
    )
    to_organization = models.ForeignKey(
        PartyOrganization,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("to organisation"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred by"),
    )
    transferred_at = models.DateTimeField(_("transferred at"), auto_now_add=True)
    roles_ended = models.JSONField(
        _("roles ended"),
        default=list,
        blank=True,
        help_text=_("Roles the member held in organisations that no longer include them."),
    )

    class Meta:
        verbose_name = _("member transfer")
        verbose_name_plural = _("member transfers")
        ordering = ["-transferred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_organization} → {self.to_organization}"
