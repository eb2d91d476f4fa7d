"""Who may play a package and send statements for it: the one rule, and the grant that carries it.

A member may play a package (and so record results for it) when a page they were allowed
to open showed them its player. The lesson page decides who may open it (course audience,
enrolment, review state — the courses app's rules); the player include then hands the
member a grant: the member's and the package's ids and a random key of this showing, signed
with the site's secret key and dated. H5P never needs to know the courses' visibility rules.

The grant travels in the path of the isolated player (`/h5p/p/<grant>/`, files under
`/h5p/p/<grant>/files/`), so every relative URL the H5P runtime and the content's own CSS
request carries it too, while the frame stays without cookies. Package files are served only
under a valid, fresh grant; the frame's load records the opening under the grant's key; the
xAPI endpoint accepts statements only with a valid, fresh grant for that very member and
package, opened long enough ago for a completion to count (`services.record_statement`).
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from lms.accounts.models import User

from .models import H5PPackage

SALT = "courses.h5p.play"


@dataclass(frozen=True)
class Grant:
    user_id: int
    package_id: int
    # Identifies this showing of the player: its opening is recorded under it.
    key: str

    def is_for(self, user: User, package: H5PPackage) -> bool:
        return user.is_authenticated and (self.user_id, self.package_id) == (user.pk, package.pk)


class BadGrant(Exception):
    """Not a grant this site signed (or not one of the current format)."""


class GrantExpired(BadGrant):
    """A genuine grant older than settings.H5P_PLAY_GRANT_MAX_AGE; `grant` says whose."""

    def __init__(self, grant: Grant) -> None:
        super().__init__("grant expired")
        self.grant = grant


def play_grant(user: User, package: H5PPackage) -> str:
    """The grant a page that shows this package's player gives to this member (a new key each
    time, so each showing is opened, and timed, on its own)."""
    claims = {"u": user.pk, "p": package.pk, "k": secrets.token_urlsafe(12)}
    return signing.dumps(claims, salt=SALT)


def _claims(token: str) -> Grant:
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.H5P_PLAY_GRANT_MAX_AGE)
    except signing.SignatureExpired:
        raise GrantExpired(_grant(signing.loads(token, salt=SALT))) from None
    except signing.BadSignature:
        raise BadGrant from None
    return _grant(claims)


def _grant(claims: object) -> Grant:
    if not isinstance(claims, dict):
        raise BadGrant
    try:
        return Grant(user_id=claims["u"], package_id=claims["p"], key=claims["k"])
    except KeyError:
        raise BadGrant from None


def read_grant(token: object) -> Grant:
    """The grant `token` stands for; raises GrantExpired for a stale one, BadGrant otherwise."""
    if not isinstance(token, str):
        raise BadGrant
    return _claims(token)


def frame_path(token: str) -> str:
    """Path of the isolated player page for this grant (served without the session)."""
    return reverse("h5p:frame", args=[token])


def files_path(token: str) -> str:
    """Path prefix of the package's files under this grant, with a slash."""
    return reverse("h5p:file", args=[token, ""])
