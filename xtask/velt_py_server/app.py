"""velt-py 0.3.0 behind FastAPI, for `cargo xtask bench server --vs-velt-py`.

A data-provider service as a velt-py user writes one: the SDK is initialised
once per worker process (`VeltSDK.initialize` with a `database` block), each
route hands the JSON body to a self-hosting service method through the
request class's `from_dict`, and the resolver token is checked with
`sdk.selfHosting.verifyToken` configured with a `verify` callback that
compares the bearer token with the one expected (constant time), which is
velt-server's static-token check.

Handlers are plain `def` functions: velt-py's services are synchronous
(psycopg / pymongo), so FastAPI runs them in its thread pool, as it would in
any deployment of this SDK.

Configuration (environment, set by xtask):

- `VELT_PY_BENCH_DB`: `postgresql` or `mongodb`
- `VELT_PY_BENCH_URL`: the connection string
- `VELT_PY_BENCH_NAMESPACE`: the PostgreSQL schema or the MongoDB database
- `VELT_PY_BENCH_TOKEN`: the bearer token accepted
"""
import hmac
import os

from fastapi import Body, FastAPI, Request
from fastapi.responses import JSONResponse
from velt_py import VeltSDK, models

TOKEN = os.environ["VELT_PY_BENCH_TOKEN"]


def _verify(token, _headers):
    return hmac.compare_digest(token.encode(), TOKEN.encode())


def _database():
    kind = os.environ["VELT_PY_BENCH_DB"]
    url = os.environ["VELT_PY_BENCH_URL"]
    namespace = os.environ["VELT_PY_BENCH_NAMESPACE"]
    if kind == "postgresql":
        return {"type": "postgresql", "connection_string": url, "schema": namespace}
    if kind == "mongodb":
        return {"type": "mongodb", "connection_string": url, "database_name": namespace}
    raise SystemExit(f"VELT_PY_BENCH_DB must be postgresql or mongodb, not {kind!r}")


sdk = VeltSDK.initialize({"database": _database(), "resolver_auth": {"verify": _verify}})

# The routes served: path -> (service, method, request class). One table;
# every route is registered from it.
ROUTES = {
    "/v1/comments/get": ("comments", "getComments", models.GetCommentResolverRequest),
    "/v1/comments/save": ("comments", "saveComments", models.SaveCommentResolverRequest),
    "/v1/comments/delete": ("comments", "deleteComment", models.DeleteCommentResolverRequest),
}

app = FastAPI()


def _answer(body):
    return JSONResponse(body, status_code=int(body.get("statusCode") or 200))


def _handler(service_name, method_name, request_class):
    def handle(request: Request, body: dict = Body(...)):
        verified = sdk.selfHosting.verifyToken(headers=request.headers)
        if not verified.verified:
            return _answer({"success": False, "statusCode": 401,
                            "error": "invalid token", "errorCode": "UNAUTHORIZED"})
        method = getattr(getattr(sdk.selfHosting, service_name), method_name)
        try:
            return _answer(method(request_class.from_dict(body)))
        except Exception as e:  # velt-py's save methods raise instead of answering
            status = 400 if type(e).__name__ == "VeltValidationError" else 500
            return _answer({"success": False, "statusCode": status,
                            "error": type(e).__name__, "errorCode": "VELT_PY_RAISED"})

    handle.__name__ = f"{service_name}_{method_name}"
    return handle


for _path, (_service, _method, _request_class) in ROUTES.items():
    app.post(_path)(_handler(_service, _method, _request_class))
