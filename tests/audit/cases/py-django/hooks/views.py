import os

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from svix.webhooks import Webhook


# ruleid: webhook.gated-by-middleware
def clerk_webhook(request):
    event = Webhook(os.environ["CLERK_WEBHOOK_SIGNING_SECRET"]).verify(request.body, request.headers)
    return JsonResponse({"type": event["type"]})


@csrf_exempt
# ok: webhook.gated-by-middleware
def stripe_webhook(request):
    event = Webhook(os.environ["STRIPE_SIGNING_SECRET"]).verify(request.body, request.headers)
    return HttpResponse(event["type"])


def org_report(request, org_id):
    # ruleid: authz.unsafe-metadata-role
    role = request.user_claims["unsafe_metadata"]["role"]
    return JsonResponse({"org": org_id, "role": role})
