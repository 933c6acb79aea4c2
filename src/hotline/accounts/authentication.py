"""API token authentication that loads the user with what every request asks of them."""

from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the user's team fetched in the same query (the
    work-order steps ask for the user's department on every call)."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__team").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
