"""Writing the audit log (exports, views of member records, imports, transfers)."""

from django.http import HttpRequest

from .models import AuditEntry


def record_audit(
    request: HttpRequest | None,
    action: str,
    *,
    target: str = "",
    organization=None,
    actor=None,
    **detail,
) -> AuditEntry:
    """Append one entry. `action` is a dotted name such as `member.view` or `export.points`."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target=str(target)[:200],
        organization=organization,
        detail=detail,
        ip_address=ip or None,
    )
