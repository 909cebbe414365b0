"""API token authentication: knox's hashed, expiring tokens under the header clients already send.

``Authorization: Token <key>``. An expired token is refused (401) and deleted; each use is recorded in
``ApiToken.last_used``, written at most once a minute per token so that a busy client does not write on every call.
"""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions

KEYWORD = "Token"
LAST_USED_EVERY = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = KEYWORD

    def authenticate_header(self, request) -> str:
        return self.keyword

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeError as exc:  # knox would fail with a 500 on a header that is not UTF-8
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            ) from exc
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        now = timezone.now()
        if auth_token.last_used is None or now - auth_token.last_used >= LAST_USED_EVERY:
            # A conditional update: of two requests arriving together only one writes.
            type(auth_token).objects.filter(pk=auth_token.pk).filter(
                Q(last_used__isnull=True) | Q(last_used__lte=now - LAST_USED_EVERY)
            ).update(last_used=now)
            auth_token.last_used = now
        return user, auth_token
