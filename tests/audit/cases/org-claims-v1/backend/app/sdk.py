from clerk_backend_api.security import authenticate_request


def org_id(request, options):
    state = authenticate_request(request, options)
    # ok: authz.org-claims-v1
    return state.payload["org_id"] if state.is_signed_in else None
