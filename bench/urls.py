"""The site's URLs plus the baseline: a minimal Django JSON view behind the same middleware."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def minimal(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("api/bench/minimal/", minimal), path("", include("lms.urls"))]
