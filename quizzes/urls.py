from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("daily/", views.daily, name="daily"),
    path("daily/start/", views.daily_start, name="daily_start"),
    path("<int:quiz_id>/", views.quiz_detail, name="quiz"),
    path("<int:quiz_id>/start/", views.start, name="start"),
    path("<int:quiz_id>/ranking/", views.ranking, name="ranking"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("points/", views.my_points, name="my_points"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
