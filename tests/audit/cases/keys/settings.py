CLERK_PUBLISHABLE_KEY = "pk_live_Y2xlcmsuYWNtZS5jb20k"  # ruleid: secrets.key-mismatch
CLERK_SECRET_KEY = "sk_test_Rk9SVEVTVFNPTkxZbm90QXJlYWxLZXk9"  # ok: secrets.key-mismatch
