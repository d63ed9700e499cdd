"""Pydantic schemas of the API's bodies and answers, a module per domain; ``common`` holds
what every domain shares (ids, pages, errors, the strict body base)."""
