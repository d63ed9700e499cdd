"""API routes declared once: the decorator validates input with pydantic, checks the
token and roles, runs the handler in one transaction, and records what the OpenAPI document
at ``/api/v1/openapi.json`` says about the route. The document is generated from these
declarations, never written by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from functools import wraps
from typing import Any
from typing import Callable

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError
from pydantic.json_schema import models_json_schema

from coordination.api.auth import current_api_user
from coordination.api.errors import ApiError
from coordination.api.errors import api_error_response
from coordination.api.schemas.common import ErrorResponse
from coordination.core.enums import Role
from coordination.core.errors import Conflict
from coordination.core.errors import DomainError
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.errors import NotFound
from coordination.core.json import MalformedJSON
from coordination.core.transactions import committed

# Who may call an operation: ``ANYONE`` (a bearer token is optional, but a bad one is 401),
# ``USER`` (a valid token is required) or ``CREDENTIALS`` (logging in and registering: the
# credentials are in the body and a bearer header, stale or not, is not read).
ANYONE, USER, CREDENTIALS = "anyone", "user", "credentials"
DOMAIN_STATUS = {InvalidInput: 400, Forbidden: 403, NotFound: 404, Conflict: 409}


@dataclass
class Operation:
    method: str
    rule: str
    summary: str
    handler: Callable
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    auth: str = USER
    roles: tuple[Role, ...] = ()
    errors: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    description: str = ""

    @property
    def openapi_path(self) -> str:
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)

    @property
    def path_params(self) -> list[tuple[str, str]]:
        return [(name, conv or "string") for conv, name in
                re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", self.rule)]


@dataclass
class ApiRegistry:
    blueprint: Blueprint
    operations: list[Operation] = field(default_factory=list)

    def route(self, method: str, rule: str, *, summary: str, body=None, query=None, response=None,
              status: int = 200, auth: str = USER, roles=(), errors=(), tags=(), description="",
              decorators=()):
        def decorator(handler):
            op = Operation(method, rule, summary, handler, body, query, response, status, auth,
                           tuple(roles), tuple(errors), tuple(tags), description or (handler.__doc__ or ""))
            self.operations.append(op)

            @wraps(handler)
            def view(**path_args):
                return run_operation(op, path_args)

            for decorate in reversed(decorators):
                view = decorate(view)

            self.blueprint.add_url_rule(rule, endpoint=handler.__name__, view_func=view,
                                        methods=[method])
            return handler

        return decorator


# ---------------------------------------------------------------------------- running

def validation_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        return _("This field is required.") if ctx.get("min_length") == 1 else _(
            "Use at least %(n)d characters.", n=ctx.get("min_length", 0))
    if kind == "string_too_long":
        return _("Use at most %(n)d characters.", n=ctx.get("max_length", 0))
    if kind in {"int_parsing", "int_type", "float_parsing", "float_type", "int_from_float",
                "decimal_parsing", "decimal_type"}:
        return _("Enter a number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in {"literal_error", "enum"}:
        # pydantic says "'a', 'b' or 'c'"; list the codes without its English "or"
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or [str(ctx.get("expected", ""))]
        return _("Choose one of: %(choices)s", choices=", ".join(choices))
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"string_type"}:
        return _("Enter text.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type", "datetime_parsing",
                "datetime_from_date_parsing"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"list_type", "too_short", "too_long"}:
        return _("Enter a list of the right length.")
    if kind == "value_error":
        return str(ctx.get("error", _("Enter a valid value.")))
    return _("Enter a valid value.")


def validation_fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error.get("loc", ())) or "body"
        fields.setdefault(name, validation_message(error))
    return fields


def parse_body(model: type[BaseModel]) -> BaseModel:
    if request.content_length and request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       _("Send JSON with Content-Type: application/json."))
    try:
        data = request.get_json() if request.content_length else {}
    except MalformedJSON as exc:
        raise ApiError(400, exc.code, exc.message, exc.fields) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid", _("The body must be a JSON object."), {"body": _("The body must be a JSON object.")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(400, "invalid", _("Please correct the marked fields."), validation_fields(exc)) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    data = {key: value for key, value in request.args.items() if value != ""}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(400, "invalid", _("Please correct the marked fields."), validation_fields(exc)) from None


def _serialise(result, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, tuple):
        result, status = result
    payload = result.model_dump(mode="json", by_alias=True) if isinstance(result, BaseModel) else result
    response = jsonify(payload)
    response.status_code = status
    return response


def run_operation(op: Operation, path_args: dict) -> Response:
    try:
        with committed():
            user = None if op.auth == CREDENTIALS else current_api_user(required=op.auth == USER)
            if op.roles and not (user is not None and user.has_role(*op.roles)):
                raise ApiError(403, "forbidden", _("Your role may not do this."))
            kwargs = dict(path_args, user=user)
            if op.body is not None:
                kwargs["body"] = parse_body(op.body)
            if op.query is not None:
                kwargs["query"] = parse_query(op.query)
            response = _serialise(op.handler(**kwargs), op.status)
        return response
    except ApiError as exc:
        return api_error_response(exc.status, exc.code, exc.message, exc.fields, **exc.extra)
    except DomainError as exc:
        status = next((code for cls, code in DOMAIN_STATUS.items() if isinstance(exc, cls)), 400)
        return api_error_response(status, exc.code, exc.message, exc.fields, **exc.extra)


# ---------------------------------------------------------------------------- OpenAPI

ERROR_DESCRIPTIONS = {
    400: "Malformed or invalid input; `fields` names each bad field",
    401: "No token, or an invalid, expired or revoked one (also where a token is optional: "
         "a bad token is never ignored)",
    403: "The role may not do this",
    404: "No such object, or not visible to you",
    405: "This path does not take this method; the `Allow` header lists the methods it takes",
    409: "State conflict (wrong status for this step, already done); `current_status` gives the "
         "object's status where there is one",
    413: "Body too large",
    415: "Body is not JSON",
    429: "Rate limited; `Retry-After` says how many seconds to wait",
}

# Ids the routes take: ``<int:…>`` matches digits up to what the databases hold (setup.IdConverter);
# an id beyond that is simply not found.
PATH_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def error_statuses(op: Operation) -> set[int]:
    """Every error status the operation can answer, derived from its declaration.

    Statuses every operation can answer are added here, not listed per route: 401 (a bad token
    is refused even where none is needed), 405 (another method on the path), 413 (the size
    limit on every request body) and 429 (the default rate limit on every route).
    """
    statuses = set(op.errors) | {405, 413, 429}
    if op.auth != CREDENTIALS:
        statuses.add(401)
    if op.body is not None:
        statuses |= {400, 415}
    if op.query is not None:
        statuses.add(400)
    if op.roles:
        statuses.add(403)
    if op.path_params:
        statuses.add(404)
    return statuses


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        variants = [v for v in prop.get("anyOf", []) if v.get("type") != "null"]
        if "anyOf" in prop and len(variants) == 1:  # a query value is never null: just absent
            prop = {**{k: v for k, v in prop.items() if k != "anyOf"}, **variants[0]}
        if prop.get("default", "") is None:
            prop = {k: v for k, v in prop.items() if k != "default"}
        params.append({"name": name, "in": "query", "required": name in required,
                       "schema": {k: v for k, v in prop.items() if k not in {"title", "description"}},
                       **({"description": prop["description"]} if "description" in prop else {})})
    return params


def build_openapi(registry: ApiRegistry, *, title: str, version: str, server: str) -> dict:
    pairs: list = [(ErrorResponse, "serialization")]
    for op in registry.operations:
        if op.body is not None:
            pairs.append((op.body, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    key_map, top = models_json_schema(
        list(dict.fromkeys(pairs)), ref_template="#/components/schemas/{model}"
    )
    components = top.get("$defs", {})

    def ref(model, mode):
        return key_map[(model, mode)]

    error_content = {"application/json": {"schema": ref(ErrorResponse, "serialization")}}
    error_headers = {
        401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
        405: {"Allow": {"description": "The methods this path takes", "schema": {"type": "string"}}},
        429: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}},
    }

    paths: dict[str, dict] = {}
    for op in registry.operations:
        entry: dict[str, Any] = {
            "operationId": op.handler.__name__,
            "summary": op.summary,
            "tags": list(op.tags),
            "parameters": [
                {"name": name, "in": "path", "required": True,
                 "schema": dict(PATH_ID_SCHEMA) if conv == "int" else {"type": "string"}}
                for name, conv in op.path_params
            ],
            "responses": {},
        }
        if op.description.strip():
            entry["description"] = op.description.strip()
        if op.query is not None:
            entry["parameters"] += _query_parameters(op.query)
        if op.body is not None:
            # an empty body is read as {} (parse_body): it is optional when no field is required
            entry["requestBody"] = {"required": any(f.is_required() for f in op.body.model_fields.values()),
                                    "content": {
                "application/json": {"schema": ref(op.body, "validation")}}}
        success: dict[str, Any] = {"description": "Success"}
        if op.response is not None:
            success["content"] = {"application/json": {"schema": ref(op.response, "serialization")}}
        entry["responses"][str(op.status)] = success
        for code in sorted(error_statuses(op)):
            answer: dict[str, Any] = {"description": ERROR_DESCRIPTIONS.get(code, "Error"),
                                      "content": error_content}
            if code in error_headers:
                answer["headers"] = error_headers[code]
            entry["responses"][str(code)] = answer
        if op.auth == USER:
            entry["security"] = [{"bearerAuth": []}]
        elif op.auth == ANYONE:
            entry["security"] = [{}, {"bearerAuth": []}]  # optional; a bad token is still 401
        else:
            entry["security"] = []
        if op.roles:
            entry["x-roles"] = [role.value for role in op.roles]
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = entry

    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "JSON API of Golden Ribbon (金色纽带) for the area's mobile app."},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
