"""Browser tests: Playwright drives Debian's chromium against a live server (``make test-browser``).

Fixtures (``page``, ``browser_problems``, ``chromium``) live in ``fixtures.py``, loaded for the whole project by the
root conftest, so feature tests in any app can use them; helpers to import are in ``pages.py``.
"""
