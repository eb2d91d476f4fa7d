from django.contrib.auth import views as auth_views
from django.urls import path

from .views import auth, profile

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("reset/<uidb64>/<token>/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("me/", profile.profile, name="profile"),
]
