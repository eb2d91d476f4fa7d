"""factory_boy factories for the foundation's models. Apps add theirs in tests/<app>/."""

import itertools

import factory
from django.contrib.auth.hashers import make_password

from lms.accounts.models import MemberProfile, User
from lms.orgs.models import PartyOrganization

PASSWORD = "correct-horse-42"
_codes = itertools.count(1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A party organisation; pass `parent=` to place it under another (default: a new root)."""

    class Meta:
        model = PartyOrganization

    name = factory.Sequence(lambda n: f"第{n}党支部")
    code = factory.LazyFunction(lambda: f"T{next(_codes):05d}")
    kind = PartyOrganization.Kind.BRANCH

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        parent.refresh_from_db()
        return parent.add_child(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class MemberProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberProfile

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(lambda n: f"党员{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    category = MemberProfile.Category.FULL_MEMBER
    organization = factory.SubFactory(OrganizationFactory)


def make_member(organization: PartyOrganization, username: str | None = None, **profile) -> User:
    """A user with a member profile in `organization`; password is `PASSWORD`."""
    user = UserFactory(**({"username": username} if username else {}))
    MemberProfileFactory(user=user, organization=organization, **profile)
    return user


def api_token(user: User, client: str = "tests") -> str:
    """A fresh API token key for `user` on `client`, as the token endpoint issues it (send it
    as `Authorization: Token <key>`)."""
    from lms.accounts.tokens import issue_api_token

    _token, key = issue_api_token(user, client)
    return key
