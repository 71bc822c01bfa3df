import os

# ruleid: secrets.hardcoded-key
CLERK_WEBHOOK_SECRET = "whsec_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4"
# ok: secrets.hardcoded-key
CLERK_SECRET_KEY = os.environ["CLERK_SECRET_KEY"]
