class _Db:
    def projects_for(self, org_id):
        return []

    def members_for(self, org_id):
        return []

    def user(self, user_id):
        return None

    def upsert_user(self, data):
        return None

    def record_payment(self, event):
        return None


db = _Db()
