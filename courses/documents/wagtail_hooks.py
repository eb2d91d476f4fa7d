"""Wagtail hooks of documents: reading one is checked before Wagtail serves it."""

from django.http import Http404, HttpRequest
from wagtail import hooks

from .models import CourseDocument
from .reading import may_read_document


@hooks.register("before_serve_document")
def check_reader(document: CourseDocument, request: HttpRequest) -> None:
    """Only who may read the document's course (or manages it) gets the file; anyone else is
    told it does not exist."""
    if not may_read_document(request.user, document):
        raise Http404
