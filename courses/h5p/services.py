"""What the rest of the platform asks of H5P: storing an uploaded package, whether a member
has completed one, and recording the statements a member's activity sends (which is where
completion is decided)."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction

from lms.accounts.models import User
from quizzes.points import H5P_COMPLETED, award_points, point_key

from . import storage
from .models import H5PCompletion, H5PPackage, H5PStatement, new_content_token
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
    pass_score_percent: int | None = None,
) -> H5PPackage:
    """Validate, store and unpack an .h5p file as a new package (raises PackageError)."""
    prepared = prepare_upload(upload)
    package = H5PPackage(
        title=title, uploaded_by=uploaded_by, pass_score_percent=pass_score_percent
    )
    return save_package(package, prepared, upload)


def has_completed(user: User, package: H5PPackage) -> bool:
    """Whether the member has completed the package (see `statement_completes`)."""
    if not user.is_authenticated:
        return False
    return H5PCompletion.objects.filter(user=user, package=package).exists()


def player_for(user: User, package: H5PPackage) -> dict:
    """What a client needs to play `package` for `user` (the lesson page's player, and the
    course API for mobile apps): the isolated frame's path, where to send statements, the
    member's grant to send them (call only where the member may see the package), and
    whether they have completed it."""
    from django.urls import reverse

    from .grants import play_grant

    return {
        "id": package.pk,
        "title": package.title,
        "frame_url": package.frame_path,
        "xapi_url": reverse("api:h5p_xapi", args=[package.pk]),
        "grant": play_grant(user, package),
        "completed": has_completed(user, package),
    }


def statement_completes(package: H5PPackage, statement: H5PStatement) -> bool:
    """The completion rule, the only place it is decided.

    A statement completes the package when it is about the activity as a whole (not one
    question inside it), says `result.completion = true`, and — when the package sets a
    minimum score — reports a score at or above it. The verb does not matter: single-question
    content types send `answered` (not `completed`), and `result.success` is absent for some
    (Fill in the Blanks), so neither can be required.
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


def record_statement(user: User, package: H5PPackage, clean: CleanStatement) -> RecordedStatement:
    """Store a member's statement once and apply the completion rule.

    A resent statement (same id) is not stored twice. The first completing statement writes
    the member's H5PCompletion, awards the "h5p_completed" study points in the same
    transaction, and sends `h5p_completed` after the commit — once per member and package.
    """
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
