"""Single sign-on's pages (``/accounts/sso/``): the start, and the provider's way back (registered there as the
redirect URI ``https://<site>/accounts/sso/callback/``)."""

from django.urls import path

from telework.organization import sso

app_name = "sso"
urlpatterns = [
    path("login/", sso.SsoLoginView.as_view(), name="login"),
    path("callback/", sso.SsoCallbackView.as_view(), name="callback"),
]
