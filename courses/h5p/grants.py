"""Who may send statements for a package: the one rule, and the grant that carries it.

A member may play a package (and so record results for it) when a page they were allowed
to open showed them its player. The lesson page decides who may open it (course audience,
enrolment, review state — the courses app's rules); the player include then hands the
member a grant: the member's and the package's ids, signed with the site's secret key and
dated. The xAPI endpoint accepts statements only with a valid, fresh grant for that very
member and package, so nobody records results for an activity they were never shown, and
H5P never needs to know the courses' visibility rules.
"""

from django.conf import settings
from django.core import signing

from lms.accounts.models import User

from .models import H5PPackage

SALT = "courses.h5p.play"


class GrantExpired(Exception):
    """The grant was genuine but is older than settings.H5P_PLAY_GRANT_MAX_AGE."""


def play_grant(user: User, package: H5PPackage) -> str:
    """The grant a page that shows this package's player gives to this member."""
    return signing.dumps({"user": user.pk, "package": package.pk}, salt=SALT, compress=True)


def may_record(grant: str, user: User, package: H5PPackage) -> bool:
    """Whether `grant` lets this member record statements for this package.

    Raises GrantExpired for a genuine but stale grant, so the member can be told to reload.
    """
    if not user.is_authenticated or not isinstance(grant, str):
        return False
    try:
        claims = signing.loads(
            grant, salt=SALT, max_age=settings.H5P_PLAY_GRANT_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        claims = signing.loads(grant, salt=SALT)
        if claims == {"user": user.pk, "package": package.pk}:
            raise GrantExpired from None
        return False
    except signing.BadSignature:
        return False
    return claims == {"user": user.pk, "package": package.pk}
