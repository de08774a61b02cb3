"""The API's documentation page (`/api/v1/docs`, docs/api.md §1): the OpenAPI document itself,
read as a page of the site (DSFR, French, no script), so that it passes the accessibility rules
every page is held to. django-ninja's Swagger UI was used first: axe-core found six rules broken
in it (contrast, nested controls, no `lang`, no landmarks), none fixable from outside."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from api.main import api

METHODS = ("get", "post", "put", "patch", "delete")
PREFIX = "/api/v1/"


def _schema_name(content: dict) -> str:
    for media in content.values():
        ref = (media.get("schema") or {}).get("$ref", "")
        if ref:
            return ref.rsplit("/", 1)[-1]
    return ""


def _operations(schema: dict) -> list[dict]:
    """The operations grouped by tag, in the document's order."""
    tags: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["Autres"])[0]
            tags.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p.get("in", ""),
                            "required": bool(p.get("required")),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _schema_name(operation.get("requestBody", {}).get("content", {})),
                    "responses": [
                        (
                            status,
                            answer.get("description", ""),
                            _schema_name(answer.get("content", {})),
                        )
                        for status, answer in operation.get("responses", {}).items()
                    ],
                    "secured": bool(operation.get("security")),
                }
            )
    return [{"name": name, "operations": ops} for name, ops in tags.items()]


@login_not_required
@require_GET
def docs_page(request):
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    return render(
        request,
        "api_space/docs.html",
        {
            "info": schema["info"],
            "paragraphs": [
                # The description's Markdown code marks (`…`) read as plain text on the page.
                p.replace("\n", " ").replace("`", "")
                for p in schema["info"].get("description", "").split("\n\n")
            ],
            "tags": _operations(schema),
            "schemas": sorted(schema.get("components", {}).get("schemas", {})),
        },
    )
