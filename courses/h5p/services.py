"""What the rest of the platform asks of H5P: storing an uploaded package, whether a member
has completed one, recording when a member's player opened, and recording the statements a
member's activity sends (which is where completion is decided)."""

import math
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import User
from lms.orgs.models import PartyOrganization
from quizzes.points import H5P_COMPLETED, award_points, point_key

from . import grading, storage
from .grants import Grant, frame_path, play_grant
from .models import H5PCompletion, H5PPackage, H5PPlay, H5PStatement, new_content_token
from .signals import h5p_completed
from .validation import PackageInfo, validate_package
from .xapi import CleanStatement


@dataclass(frozen=True)
class PreparedPackage:
    """An upload that passed validation and is unpacked in a staging folder."""

    info: PackageInfo
    staging: Path


def prepare_upload(upload: File) -> PreparedPackage:
    """Validate an uploaded .h5p and unpack it into staging; raises PackageError (with the
    reasons in the trainer's language) and leaves nothing behind when it is refused."""
    info = validate_package(upload, upload.size)
    return PreparedPackage(info, storage.unpack(upload, info))


def save_package(package: H5PPackage, prepared: PreparedPackage, upload: File) -> H5PPackage:
    """Store the original and put the unpacked files in place, for a new package or as the
    new version of an existing one (which gets a new content token, so caches of the old
    files never mix with the new ones)."""
    info = prepared.info
    previous = H5PPackage.objects.filter(pk=package.pk).values("content_token", "file").first()
    package.content_token = new_content_token()
    package.title = package.title or info.title
    package.main_library = str(info.main_library)
    package.manifest = info.manifest
    package.file_size = upload.size
    package.unpacked_size = info.unpacked_size
    package.file_count = len(info.files)
    upload.seek(0)
    package.file.save("package.h5p", upload, save=False)
    package.save()
    storage.publish(prepared.staging, package.content_token)
    if previous:

        def forget_previous() -> None:
            storage.remove(previous["content_token"])
            if previous["file"] and previous["file"] != package.file.name:
                package.file.storage.delete(previous["file"])

        transaction.on_commit(forget_previous)
    return package


def create_package(
    upload: File,
    *,
    title: str = "",
    uploaded_by: User | None = None,
    organization: PartyOrganization | None = None,
    pass_score_percent: int | None = None,
) -> H5PPackage:
    """Validate, store and unpack an .h5p file as a new package of `organization` (None: the
    platform's); raises PackageError."""
    prepared = prepare_upload(upload)
    package = H5PPackage(
        title=title,
        uploaded_by=uploaded_by,
        organization=organization,
        pass_score_percent=pass_score_percent,
    )
    return save_package(package, prepared, upload)


def has_completed(user: User, package: H5PPackage) -> bool:
    """Whether the member has completed the package (see `statement_completes`)."""
    if not user.is_authenticated:
        return False
    return H5PCompletion.objects.filter(user=user, package=package).exists()


def player_for(user: User, package: H5PPackage) -> dict:
    """What a client needs to play `package` for `user` (the lesson page's player, and the
    course API for mobile apps): the isolated frame's path under the member's grant (call
    only where the member may see the package), where to send statements with that grant,
    and whether they have completed it."""
    grant = play_grant(user, package)
    return {
        "id": package.pk,
        "title": package.title,
        "frame_url": frame_path(grant),
        "xapi_url": reverse("api:h5p_xapi", args=[package.pk]),
        "grant": grant,
        "completed": has_completed(user, package),
    }


def record_opening(grant: Grant) -> H5PPlay:
    """Note that the player was loaded under `grant`; the first load is the one that counts."""
    play, _created = H5PPlay.objects.get_or_create(
        key=grant.key, defaults={"user_id": grant.user_id, "package_id": grant.package_id}
    )
    return play


def opening_of(grant: Grant) -> H5PPlay | None:
    """The recorded opening of the player under this grant (None: it never loaded)."""
    return H5PPlay.objects.filter(
        key=grant.key, user_id=grant.user_id, package_id=grant.package_id
    ).first()


def forget_old_openings() -> int:
    """Delete openings whose grant can no longer be used; returns how many went."""
    cutoff = timezone.now() - settings.H5P_PLAY_GRANT_MAX_AGE - timedelta(hours=1)
    deleted, _by_model = H5PPlay.objects.filter(opened_at__lt=cutoff).delete()
    return deleted


class CompletionTooSoon(Exception):
    """A completing statement arrived before the activity had been open for
    settings.H5P_MIN_PLAY_SECONDS; it is not stored, and may be sent again after
    `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"completion too soon; retry after {retry_after} s")
        self.retry_after = retry_after


def statement_completes(package: H5PPackage, statement: H5PStatement | CleanStatement) -> bool:
    """The completion rule, the only place it is decided.

    A statement completes the package when it is about the activity as a whole (not one
    question inside it), says `result.completion = true`, and — when the package sets a
    minimum score — reports a score at or above it. The verb does not matter: single-question
    content types send `answered` (not `completed`), and `result.success` is absent for some
    (Fill in the Blanks), so neither can be required. When it counts — not before the player
    has been open settings.H5P_MIN_PLAY_SECONDS — is `record_statement`'s part.
    """
    if statement.subcontent_id or statement.completion is not True:
        return False
    if package.pass_score_percent is None:
        return True
    if statement.score_scaled is None:
        return False
    # Scores travel as floats (0.6666…); compare in whole hundredths so 2/3 passes "67 %"
    # only when it is at least 0.67.
    return round(statement.score_scaled * 10000) >= package.pass_score_percent * 100


@dataclass(frozen=True)
class RecordedStatement:
    statement: H5PStatement
    duplicate: bool
    completed: bool
    newly_completed: bool


def _seconds_still_to_wait(play: H5PPlay) -> int:
    countable_from = play.opened_at + timedelta(seconds=settings.H5P_MIN_PLAY_SECONDS)
    return math.ceil((countable_from - timezone.now()).total_seconds())


def record_statement(
    user: User, package: H5PPackage, clean: CleanStatement, play: H5PPlay
) -> RecordedStatement:
    """Store a member's statement, sent from the player opened as `play`, once and apply the
    completion rule.

    Content the server can grade (`courses.h5p.grading`) gets the server's score, not the one
    the statement claims. A statement that would complete the activity less than
    settings.H5P_MIN_PLAY_SECONDS after the player opened raises CompletionTooSoon and is not
    stored: nobody answers an activity before it has been shown, so a completion that early
    was written by hand. A resent statement (same id) is not stored twice. The first
    completing statement writes the member's H5PCompletion, awards the "h5p_completed" study
    points in the same transaction, and sends `h5p_completed` after the commit — once per
    member and package.
    """
    clean = grading.graded_on_server(package, clean)
    if statement_completes(package, clean) and not has_completed(user, package):
        wait = _seconds_still_to_wait(play)
        if wait > 0:
            raise CompletionTooSoon(wait)
    with transaction.atomic():
        try:
            with transaction.atomic():
                statement = H5PStatement.objects.create(
                    package=package,
                    user=user,
                    statement_id=clean.statement_id,
                    verb=clean.verb,
                    object_iri=clean.object_iri,
                    subcontent_id=clean.subcontent_id,
                    completion=clean.completion,
                    success=clean.success,
                    score_scaled=clean.score_scaled,
                    statement=clean.statement,
                )
        except IntegrityError:
            statement = H5PStatement.objects.get(user=user, statement_id=clean.statement_id)
            return RecordedStatement(
                statement,
                duplicate=True,
                completed=has_completed(user, package),
                newly_completed=False,
            )
        newly_completed = False
        if statement_completes(package, statement):
            _completion, newly_completed = H5PCompletion.objects.get_or_create(
                user=user,
                package=package,
                defaults={"statement": statement, "score_scaled": statement.score_scaled},
            )
            if newly_completed:
                _award_points(user, package)
                transaction.on_commit(
                    partial(
                        h5p_completed.send,
                        sender=H5PPackage,
                        user=user,
                        package=package,
                        statement=statement,
                    )
                )
        completed = newly_completed or has_completed(user, package)
    return RecordedStatement(
        statement, duplicate=False, completed=completed, newly_completed=newly_completed
    )


def _award_points(user: User, package: H5PPackage) -> None:
    award_points(user, H5P_COMPLETED, package.title, point_key(H5P_COMPLETED, user.pk, package.pk))
