"""CSRF secrets and masks drawn from the system's random source in one call.

Every cached page view with a form hands a new visitor a CSRF secret and a masked
token (pagecache.py). Django draws each of their 64 characters with its own
``secrets.choice``, one system call apiece: 70 µs, a third of the whole page view.
``random_csrf_string`` draws the same 32 characters of the same alphabet from the same
source with one ``os.urandom`` call, just as uniformly: bytes that would make some
characters likelier than others are thrown away rather than folded in. The tokens
are unchanged in length, alphabet and meaning, so Django checks them as before.
"""

import os

from django.middleware import csrf

_ALPHABET = csrf.CSRF_ALLOWED_CHARS.encode()
# 248 = 4 × 62: the bytes below it fall evenly on the 62 characters, the 8 above do not.
_EVEN = 256 - 256 % len(_ALPHABET)
_TO_CHARACTER = bytes(_ALPHABET[byte % len(_ALPHABET)] for byte in range(256))
_UNEVEN = bytes(range(_EVEN, 256))


def random_csrf_string(length=csrf.CSRF_SECRET_LENGTH):
    """``length`` characters from CSRF_ALLOWED_CHARS, each equally likely."""
    drawn = b""
    while len(drawn) < length:
        # A few spare bytes, as about 1 in 32 is thrown away.
        drawn += os.urandom(length + 8).translate(_TO_CHARACTER, _UNEVEN)
    return drawn[:length].decode("ascii")


def install():
    """Make Django's CSRF middleware draw its secrets and masks with ``random_csrf_string``.

    Django calls ``_get_new_csrf_string()`` for both; the check below fails loudly at
    startup if a Django upgrade renames it, rather than silently going slow again.
    """
    if not callable(getattr(csrf, "_get_new_csrf_string", None)):
        raise RuntimeError("django.middleware.csrf._get_new_csrf_string is gone: see pages/csrf.py")
    csrf._get_new_csrf_string = random_csrf_string
