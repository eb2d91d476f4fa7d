"""The site's URLs plus a page that embeds the H5P player the way a lesson page does.

Browser tests use it (`pytest.mark.urls`) so the player is proven inside a real site page
without depending on the courses app's page types.
"""

from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path

from courses.h5p.models import H5PPackage

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ package.title }}{% endblock %}
{% block content %}<article class="card"><h1>示例课时</h1>
{% include "h5p/player.html" with package=package %}
<p>课时正文。</p></article>{% endblock %}"""
)


def lesson_like_page(request, package_id):
    package = get_object_or_404(H5PPackage, pk=package_id)
    return TemplateResponse(request, PAGE, {"package": package})


urlpatterns = [
    path("h5p-test/<int:package_id>/", lesson_like_page, name="h5p_test_page"),
    path("", include("lms.urls")),
]
