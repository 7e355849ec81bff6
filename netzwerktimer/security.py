"""Login throttling behind a proxy: the client address, and a global throttle per username.

django-axes counts failures per (username, client address) and per client address, and locks
after AXES_FAILURE_LIMIT of either. Behind a reverse proxy every request comes from the proxy's
address, so the address must be the client's: X-Forwarded-For is read only when the request
comes from one of TRUSTED_PROXIES (anyone else could write any address into it). A lockout then
stops one client, not a manager's login for everyone.

Guessing from many addresses is slowed by a second, global limit per username: after
LOGIN_THROTTLE_FAILURES failures of one username within LOGIN_THROTTLE_WINDOW seconds,
from any address, that username gets one attempt per LOGIN_THROTTLE_SECONDS. The throttle
locks attackers, not the manager: the password is checked on every attempt, the right
password from a client that has not been failing is never refused, and a right password
refused because its client has been failing is not counted as a failure (neither here nor
by axes). Holding the username's slot from many addresses therefore cannot keep the manager
out.
"""

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


@functools.cache
def trusted_networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip().split("%", 1)[0])
    except ValueError:
        return None


def is_trusted_proxy(address):
    ip = _address(address or "")
    return ip is not None and any(ip in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The client's address: REMOTE_ADDR, or from X-Forwarded-For when REMOTE_ADDR is a trusted proxy.

    X-Forwarded-For is read from the right (each proxy appends the address it saw) up to
    the first address that is not a trusted proxy; what lies left of it came from the
    client and could be anything.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if _address(hop) is None:
            break  # a malformed entry: nothing left of it can be trusted
        if not is_trusted_proxy(hop):
            return str(_address(hop))
    return remote


def _key(username, part):
    return f"login-throttle:{part}:{hashlib.sha256(username.encode()).hexdigest()}"


def _client_key(request):
    return _key(client_ip(request) if request is not None else "", "client-failures")


def username_is_throttled(username):
    """True when the username has failed too often and its next attempt is not due yet."""
    failures = cache.get(_key(username, "failures")) or 0
    if failures < settings.LOGIN_THROTTLE_FAILURES:
        return False
    # add() is False while the last attempt's slot lasts; None (cache down) lets the attempt through.
    return cache.add(_key(username, "slot"), True, settings.LOGIN_THROTTLE_SECONDS) is False


def _count(key):
    if cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW) is False:
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW)


def username_failed(username):
    _count(_key(username, "failures"))


def client_failed(request):
    _count(_client_key(request))


def client_has_failed(request):
    """Has this client address given a wrong password (for any username) within the window?"""
    return bool(cache.get(_client_key(request)))


def refused_by_throttle_alone(request, credentials):
    """For axes (AXES_WHITELIST_CALLABLE): a right password refused only by the throttle is no failure."""
    return bool(getattr(request, "login_throttle_kept_right_password", False))


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check with the global per-username throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = str(username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD) or "")
        throttled = bool(name) and username_is_throttled(name)
        # The password is checked in every case, so a refusal takes as long as a check and says nothing.
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if name and password is not None:
                username_failed(name)
                if request is not None:
                    client_failed(request)
            if throttled and request is not None:
                request.login_throttled = True  # the login form says so (networks.forms.StaffLoginForm)
            return None
        if throttled and request is not None and client_has_failed(request):
            request.login_throttled = True
            request.login_throttle_kept_right_password = True
            raise PermissionDenied
        return user


def password_reset_allowed(request, email):
    """Count a password reset request; False once its address or its client has asked too often.

    Every request counts, whether or not an account has the address, so the answer tells
    nothing about accounts; the limits stop a client from flooding one mailbox or many.
    """
    window = settings.PASSWORD_RESET_WINDOW
    counts = []
    for part, value in (("reset-address", email.strip().lower()), ("reset-client", client_ip(request))):
        key = _key(value, part)
        if cache.add(key, 1, window) is False:
            try:
                counts.append(cache.incr(key))
            except ValueError:
                cache.add(key, 1, window)
                counts.append(1)
        else:
            counts.append(1)
    per_address, per_client = counts
    return per_address <= settings.PASSWORD_RESET_PER_ADDRESS and per_client <= settings.PASSWORD_RESET_PER_CLIENT
