"""Admin views of H5P activities beyond Wagtail's own: downloading the original .h5p."""

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .models import H5PPackage
from .permissions import may_manage


@require_safe
def download_original(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded .h5p, for trainers who manage the activity only (it holds every answer);
    the media folder never serves it."""
    package = get_object_or_404(H5PPackage.objects.select_related("organization"), pk=pk)
    if not may_manage(request.user, package):
        raise Http404
    try:
        original = package.file.open("rb")
    except OSError:
        raise Http404("original missing") from None
    name = f"{slugify(package.title, allow_unicode=True) or 'activity'}.h5p"
    response = FileResponse(
        original, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
