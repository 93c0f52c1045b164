"""A method a path does not take answers in the API's one error shape, like every other refusal.

django-ninja answers such a request with a bare `405 Method not allowed` in plain text. That broke
the promise of one error envelope, and the documented responses: `GET /api/surveillance/cards/check`
(a card numbered "check", as far as a client can tell) met the POST-only check route."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from yizhan.api.errors import envelope, item
from yizhan.api.inputguard import API_PREFIX


class MethodNotAllowedEnvelope:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith(API_PREFIX):
            return response
        allowed = response.get("Allow", "")
        message = _("此路径不接受 %(method)s 请求（可用：%(allowed)s）") % {"method": request.method, "allowed": allowed}
        answer = JsonResponse(envelope([item("", "method_not_allowed", message)]), status=405,
                              json_dumps_params={"ensure_ascii": False})
        if allowed:
            answer["Allow"] = allowed
        return answer
