"""URL map of the whole site. Wagtail's page tree serves everything not matched before it."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", core_views.favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("lms.accounts.urls")),
    path("orgs/", include("lms.orgs.urls")),
    path("dashboards/", include("lms.dashboards.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("api/", include("lms.api.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("h5p/", include("courses.h5p.urls")),
    path("learning/", include("courses.urls")),
    path("certificates/verify/", include("courses.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.SERVE_MEDIA:
    # Embedded default: the app serves signed media paths (media_pipeline/delivery.py) and
    # ./var/media's other files to logged-in users. At scale nginx serves the signed paths
    # (secure_link) and object storage behind a CDN the rest; this is off.
    urlpatterns.append(
        path(settings.MEDIA_SIGNED_URL.lstrip("/"), include("media_pipeline.signed_urls"))
    )
    # Videos, captions and originals first: they have their own access rules and MIME types.
    # Documents and H5P originals are never served from here: documents go through
    # /documents/<id>/<name> (who may read them is checked there), originals through the admin.
    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(path(media, include("media_pipeline.media_urls")))
    urlpatterns.append(path(media, include("courses.documents.media_urls")))
    urlpatterns.append(path(media, include("courses.h5p.media_urls")))
    urlpatterns.append(
        re_path(
            rf"^{media}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

urlpatterns.append(path("", include(wagtail_urls)))

handler403 = "lms.core.views.permission_denied"
handler404 = "lms.core.views.page_not_found"
handler500 = "lms.core.views.server_error"
