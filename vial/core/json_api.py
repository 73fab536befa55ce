"""The JSON API's front gate: refuse bodies that are not JSON (415) or too large to read (413).

Runs before anything reads the body, for paths under `JSON_API_PREFIXES` (default `/api/`):

- A body that is not `application/json` is refused with 415. Browsers send `text/plain`,
  `application/x-www-form-urlencoded` and `multipart/form-data` across sites without asking (no CORS
  preflight), and ninja would read any of them as JSON; JSON only means another site's page cannot
  post to the API from a visitor's browser.
- A body declared larger than `API_MAX_BODY_BYTES` is refused with 413 before it is read. Without
  this, Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) raises inside the API's view, where it
  would be answered as a server error.

Both answers are JSON like every other API error: `{"message": ..., "code": ...}`.
"""

from django.conf import settings
from django.http import JsonResponse

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def declared_length(meta) -> int:
    try:
        return max(0, int(meta.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class JsonApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "JSON_API_PREFIXES", ("/api/",)))

    def __call__(self, request):
        if request.method in BODY_METHODS and request.path_info.startswith(self.prefixes):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request) -> JsonResponse | None:
        length = declared_length(request.META)
        limit = settings.API_MAX_BODY_BYTES
        content_type = request.META.get("CONTENT_TYPE", "")
        if (content_type or length) and not is_json(content_type):
            return JsonResponse(
                {
                    "message": "Please send the request body as JSON, with the header Content-Type: application/json.",
                    "code": "unsupported_media_type",
                },
                status=415,
            )
        if length > limit:
            response = JsonResponse(
                {
                    "message": f"The request body is too large: at most {limit:,} bytes are accepted.",
                    "code": "content_too_large",
                },
                status=413,
            )
            response["Connection"] = "close"  # the unread body is not worth reading to keep the connection
            return response
        return None
