"""The API's URL map: /api/v1/… endpoints and the OpenAPI schema.

Each domain app owns its endpoints (views + serializers in its own `api.py`); they are mounted
here so the whole API can be read in one file.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from courses import api as courses_api
from courses.h5p import api as h5p_api
from lms.dashboards import api as dashboards_api
from media_pipeline import api as media_api
from quizzes import api as quizzes_api

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("v1/auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/orgs/", views.OrganizationListView.as_view(), name="organizations"),
    path(
        "v1/orgs/<id:org_id>/members/", views.OrganizationMembersView.as_view(), name="org_members"
    ),
    path("v1/members/<id:user_id>/", views.MemberDetailView.as_view(), name="member"),
    path(
        "v1/orgs/<id:org_id>/completion/",
        dashboards_api.CompletionView.as_view(),
        name="org_completion",
    ),
    path(
        "v1/quizzes/<id:quiz_id>/attempts/",
        quizzes_api.QuizAttemptsView.as_view(),
        name="quiz_attempts",
    ),
    path(
        "v1/daily-quiz/attempts/",
        quizzes_api.DailyQuizAttemptsView.as_view(),
        name="daily_quiz_attempts",
    ),
    path("v1/attempts/<id:attempt_id>/", quizzes_api.AttemptDetailView.as_view(), name="attempt"),
    path(
        "v1/attempts/<id:attempt_id>/submit/",
        quizzes_api.AttemptSubmitView.as_view(),
        name="attempt_submit",
    ),
    path("v1/me/points/", quizzes_api.MyPointsView.as_view(), name="my_points"),
    path("v1/leaderboard/", quizzes_api.LeaderboardView.as_view(), name="leaderboard"),
    path(
        "v1/h5p/packages/<id:package_id>/xapi/",
        h5p_api.XAPIStatementView.as_view(),
        name="h5p_xapi",
    ),
    path("v1/courses/", courses_api.CourseListView.as_view(), name="courses"),
    path("v1/courses/<id:course_id>/", courses_api.CourseDetailView.as_view(), name="course"),
    path(
        "v1/courses/<id:course_id>/enroll/",
        courses_api.EnrollView.as_view(),
        name="course_enroll",
    ),
    path("v1/lessons/<id:lesson_id>/", courses_api.LessonDetailView.as_view(), name="lesson"),
    path(
        "v1/lessons/<id:lesson_id>/playback/",
        courses_api.LessonPlaybackView.as_view(),
        name="lesson_playback",
    ),
    path(
        "v1/lessons/<id:lesson_id>/heartbeat/",
        courses_api.HeartbeatView.as_view(),
        name="lesson_heartbeat",
    ),
    path("v1/videos/", media_api.VideoListCreateView.as_view(), name="videos"),
    path("v1/videos/<id:video_id>/", media_api.VideoDetailView.as_view(), name="video"),
    path("v1/videos/<id:video_id>/retry/", media_api.VideoRetryView.as_view(), name="video_retry"),
]
