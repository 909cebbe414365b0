"""Issuing and revoking API tokens (accounts.ApiToken), for the commands and the admin.

Each issue and revocation is logged to ``accounts.tokens``: whose token, which client, when it expires, by whom,
and the key prefix the admin also shows; never the key.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings

from accounts.models import MAX_TOKEN_DAYS, ApiToken, UserProfile

logger = logging.getLogger("accounts.tokens")


def token_lifetime(user, days: int | None = None) -> timedelta:
    """How long a new token of ``user`` lives: ``days`` if given, else the profile's, else the site's (TTL)."""
    if days is None:
        days = UserProfile.objects.filter(user=user).values_list("token_days", flat=True).first()
    if days is None:
        return knox_settings.TOKEN_TTL
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(f"a token lives between 1 and {MAX_TOKEN_DAYS} days, not {days}")
    return timedelta(days=days)


def _expiry(value: datetime | None) -> str:
    return value.isoformat(timespec="minutes") if value else "never"


def issue_token(user, *, days: int | None = None, client: str = "", keep_others: bool = False,
                by: str = "") -> tuple[ApiToken, str, int]:
    """A new token for ``user``: ``(token, key, revoked)``. The key exists only in the return value.

    Unless ``keep_others``, the user's other tokens are revoked in the same transaction.
    """
    lifetime = token_lifetime(user, days)
    with transaction.atomic():
        revoked = 0 if keep_others else _delete(ApiToken.objects.filter(user=user), by=by, reason="replaced")
        token, key = ApiToken.objects.create(user=user, expiry=lifetime, client=client)
    logger.info("API token issued: user=%s client=%r expires=%s key_prefix=%s by=%s revoked_others=%d",
                user.get_username(), client, _expiry(token.expiry), token.token_key, by or "-", revoked)
    return token, key, revoked


def tokens_matching(user, key: str | None = None):
    """The tokens of ``user``; with ``key``, those whose key starts with it (or, given a whole key, that token)."""
    tokens = ApiToken.objects.filter(user=user)
    if key is None:
        return tokens
    if len(key) <= CONSTANTS.TOKEN_KEY_LENGTH:
        return tokens.filter(token_key__startswith=key)
    return tokens.filter(token_key=key[:CONSTANTS.TOKEN_KEY_LENGTH], digest=hash_token(key))


def revoke(tokens, *, by: str = "", reason: str = "revoked") -> int:
    """Delete ``tokens`` (a queryset), logging each; the number deleted."""
    with transaction.atomic():
        return _delete(tokens, by=by, reason=reason)


def purge_expired(now: datetime | None = None) -> int:
    """Delete the tokens whose expiry has passed (the beat runs this daily; a presented one is deleted at once)."""
    return revoke(ApiToken.objects.filter(expiry__lt=now or timezone.now()), by="beat", reason="expired")


def _delete(tokens, *, by: str, reason: str) -> int:
    count = 0
    for token in tokens.select_related("user").select_for_update():
        logger.info("API token %s: user=%s client=%r expires=%s key_prefix=%s by=%s", reason,
                    token.user.get_username(), token.client, _expiry(token.expiry), token.token_key, by or "-")
        token.delete()
        count += 1
    return count
