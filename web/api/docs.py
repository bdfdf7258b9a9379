"""GET /api/v1/docs: the API documentation, rendered by the server from the OpenAPI document.

No JavaScript and no CDN: the page works offline and with any browser or screen reader.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from web.api import API_PREFIX

docs_pages = Blueprint(
    "api_docs_page", __name__, url_prefix=API_PREFIX, template_folder="templates"
)

METHOD_ORDER = ("get", "head", "post", "put", "patch", "delete")


def _schema_text(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"liste de {_schema_text(schema.get('items', {}), components)}"
    parts = [kind or "valeur"]
    if "enum" in schema:
        parts.append("parmi : " + ", ".join(str(v) for v in schema["enum"]))
    if "minimum" in schema or "maximum" in schema:
        parts.append(f"de {schema.get('minimum', '…')} à {schema.get('maximum', '…')}")
    if "pattern" in schema:
        parts.append(f"motif {schema['pattern']}")
    if "default" in schema:
        parts.append(f"défaut {schema['default']}")
    return ", ".join(parts)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every documented operation, grouped in the order of the tags."""
    components = spec.get("components", {})
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHOD_ORDER:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": p["name"],
                    "in": {"query": "requête", "path": "chemin"}.get(p["in"], p["in"]),
                    "required": p.get("required", False),
                    "type": _schema_text(p.get("schema", {}), components),
                    "description": p.get("description", p.get("schema", {}).get("description", "")),
                }
                for p in operation.get("parameters", []) + item.get("parameters", [])
            ]
            responses = [
                {
                    "status": status,
                    "description": response.get("description")
                    or components.get("responses", {})
                    .get(response.get("$ref", "").rsplit("/", 1)[-1], {})
                    .get("description", ""),
                    "content_types": sorted(response.get("content", {})),
                }
                for status, response in operation.get("responses", {}).items()
            ]
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or [""])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "anchor": f"{method}-{path}".replace("/", "-")
                    .replace("{", "")
                    .replace("}", ""),
                }
            )
    order = [tag["name"] for tag in spec.get("tags", [])]
    return sorted(found, key=lambda o: order.index(o["tag"]) if o["tag"] in order else 99)


@docs_pages.get("/docs")
def api_docs() -> str:
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec: dict[str, Any] = api.spec.to_dict()
    return render_template(
        "api/docs.html",
        spec=spec,
        tags=spec.get("tags", []),
        operations=operations(spec),
        rate_limit=current_app.config["RATE_LIMIT_PER_MINUTE"],
    )
