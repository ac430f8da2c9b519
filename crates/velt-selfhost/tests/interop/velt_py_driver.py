"""Drive velt-py 0.3.0's public self-hosting API for tests/interop.rs.

Reads one JSON object on stdin:

    {"config": <the dict given to VeltSDK.initialize>,
     "calls": [{"service": "comments", "method": "saveComments", "request": {...}}, ...]}

and prints one line of JSON on stdout: a list with one entry per call, the
dict velt-py returned, or {"raised": <exception class>, "message": <text>}
when velt-py raised (its save methods raise instead of answering with an
error dict).

Requests are built with each request class's own `from_dict`, as a web
handler does with the JSON body Velt's frontend sends. Two calls are not
resolver methods, because velt-py has no such method:

- `users.seedUser` {"user": {...}}: velt-py has no save for users (the
  customer owns the users collection), so the record is upserted through
  `sdk.selfHosting.database` (the SDK's public adapter property), keyed by
  `userId`, as an application using velt-py would fill it.
- `attachments.getAttachment` takes two arguments, not a request object:
  the request's `organizationId` and `attachmentId` are passed as them.
"""
import json
import sys

from velt_py import VeltSDK
from velt_py import models

# (service, method) -> request class; one table, every call goes through it.
REQUESTS = {
    ("comments", "getComments"): models.GetCommentResolverRequest,
    ("comments", "saveComments"): models.SaveCommentResolverRequest,
    ("comments", "deleteComment"): models.DeleteCommentResolverRequest,
    ("reactions", "getReactions"): models.GetReactionResolverRequest,
    ("reactions", "saveReactions"): models.SaveReactionResolverRequest,
    ("reactions", "deleteReaction"): models.DeleteReactionResolverRequest,
    ("recorders", "getRecorderAnnotations"): models.GetRecorderResolverRequest,
    ("recorders", "saveRecorderAnnotation"): models.SaveRecorderResolverRequest,
    ("recorders", "deleteRecorderAnnotation"): models.DeleteRecorderResolverRequest,
    ("notifications", "getNotifications"): models.GetNotificationResolverRequest,
    ("notifications", "saveNotifications"): models.SaveNotificationResolverRequest,
    ("notifications", "deleteNotification"): models.DeleteNotificationResolverRequest,
    ("activities", "getActivities"): models.GetActivityResolverRequest,
    ("activities", "saveActivities"): models.SaveActivityResolverRequest,
    ("attachments", "saveAttachment"): models.SaveAttachmentResolverRequest,
    ("attachments", "deleteAttachment"): models.DeleteAttachmentResolverRequest,
    ("users", "getUsers"): models.GetUserResolverRequest,
}


def call(sdk, spec):
    service_name, method_name = spec["service"], spec["method"]
    request = spec.get("request") or {}
    hosting = sdk.selfHosting
    if (service_name, method_name) == ("users", "seedUser"):
        user = request["user"]
        collection = sdk.config.get_collection_name("users")
        hosting.database.update_one(
            collection, {"userId": user["userId"]}, {"$set": user}, upsert=True
        )
        return {"seeded": user["userId"]}
    service = getattr(hosting, service_name)
    method = getattr(service, method_name)
    if (service_name, method_name) == ("attachments", "getAttachment"):
        return method(request.get("organizationId"), request.get("attachmentId"))
    request_class = REQUESTS.get((service_name, method_name))
    if request_class is None:
        raise SystemExit(f"velt_py_driver: unknown call {service_name}.{method_name}")
    return method(request_class.from_dict(request))


def main():
    job = json.load(sys.stdin)
    # velt-py prints its warnings on stdout: keep them off the JSON answer.
    answer, sys.stdout = sys.stdout, sys.stderr
    sdk = VeltSDK.initialize(job["config"])
    out = []
    try:
        for spec in job["calls"]:
            try:
                out.append(call(sdk, spec))
            except SystemExit:
                raise
            except Exception as e:  # velt-py's save methods raise; report it
                out.append({"raised": type(e).__name__, "message": str(e)})
    finally:
        sdk.close()
    answer.write(json.dumps(out))
    answer.write("\n")


if __name__ == "__main__":
    main()
