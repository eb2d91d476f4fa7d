from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("daily/", views.daily, name="daily"),
    path("daily/start/", views.daily_start, name="daily_start"),
    path("<id:quiz_id>/", views.quiz_detail, name="quiz"),
    path("<id:quiz_id>/start/", views.start, name="start"),
    path("<id:quiz_id>/ranking/", views.ranking, name="ranking"),
    path("attempts/<id:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<id:attempt_id>/submit/", views.submit, name="submit"),
    path("points/", views.my_points, name="my_points"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
