"""Schemas every domain shares: bounded ids and amounts, status filters, pages and errors."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated
from typing import Any
from typing import Generic
from typing import TypeVar

from flask_babel import gettext as _
from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from coordination.evaluation.enums import EvaluationGap
from coordination.needs.enums import NeedStatus
from coordination.projects.enums import ProjectStatus

T = TypeVar("T")

# Ids the databases can hold, money within NUMERIC(12, 2), hours within NUMERIC(10, 1).
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Money = Annotated[float, Field(ge=0, le=9_999_999_999)]
Hours = Annotated[float, Field(ge=0, le=99_999_999)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


def status_list(states: type[Enum]) -> Any:
    """A query parameter naming one state or several separated by commas (``accepted,in_project``).

    The document gives the exact pattern; a value outside it is a 400 listing the states. An
    empty value is no filter, as for every query parameter.
    """
    word = "|".join(re.escape(state.value) for state in states)
    pattern = rf"^$|^ *({word}) *(, *({word}) *)*$"

    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(_("Choose one of: %(choices)s",
                               choices=", ".join(sorted(state.value for state in states))))
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={"pattern": pattern})]


def split_states(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code")
    message: str = Field(description="Human-readable text in the requested language")
    fields: dict[str, str] = Field(default_factory=dict, description="Bad field → what is wrong")
    current_status: NeedStatus | ProjectStatus | None = Field(
        None, description="On a 409 for a step the object's status does not allow: its status now "
                          "(a need's or a project's)")
    retry_after: int | None = Field(None, description="On a 429 from logging in: seconds to wait")
    missing: list[EvaluationGap] | None = Field(
        None, description="On a 409 from accepting an evaluation: what it still lacks (the survey is still "
                          "open, no responses, no indicator scores)")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class CursorPage(Page[T], Generic[T]):
    """A page of a list that also offers a keyset cursor (API.md Conventions)."""

    next: str | None = Field(None, description="Give as `after` to get the page after this one; "
                                               "null on the last page")
    total_capped: bool = Field(False, description="True when a free-text search stopped counting at 10,000")


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(20, ge=1, le=100)


class ItemList(BaseModel, Generic[T]):
    items: list[T]
