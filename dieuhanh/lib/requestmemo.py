"""Values a request reads once however many times its code asks: the person's roles, above all, which the menu,
the scope, the cache key and the second-factor rule each read (five queries a page before).

`memoized(key, compute)` keeps `compute()` for the rest of the request that RequestMemoMiddleware is serving, and
computes every time outside one (a test, a command, the worker): nothing is kept across requests, and code that
holds a user between two role changes outside a request reads the roles again. A change of roles inside the request
(RoleAssignment saved or deleted, accounts/apps.py) forgets everything memoized."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(*args, **kwargs) -> None:
    """Forget what this request has memoized (a signal receiver: any arguments)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
