"""The requirements contract, generated from advisor/requirements/model.py by
`python -m advisor.requirements.codegen`. Do not edit: change the model and regenerate
(tests/test_requirements_contract.py fails while this file is stale)."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from advisor.requirements.spec import FieldSpec, Section
from advisor.requirements.value import document, from_data, sha256_of_data, without_default_sections

SECTIONS: tuple[Section, ...] = (
    Section(key='schema', fields=()),
    Section(key='project', fields=('name',)),
    Section(key='platforms', fields=('web', 'nextjs_version', 'mobile', 'chrome_extension', 'backends')),
    Section(key='audience', fields=()),
    Section(key='users', fields=('expected_mau', 'regions')),
    Section(key='tenancy', fields=('organizations', 'users_in_many_orgs', 'enterprise_sso', 'domain_auto_join', 'custom_roles')),
    Section(key='threat_model', fields=('impact', 'data_sensitivity', 'compliance', 'threats', 'privileged_users', 'personal_data', 'pci_scope')),
    Section(key='preferences', fields=('passwords', 'social_providers', 'passwordless', 'passkeys', 'mfa', 'session_max_lifetime_hours', 'multi_session', 'sms_second_factor')),
    Section(key='integrations', fields=('m2m', 'api_keys', 'webhooks', 'billing')),
    Section(key='migration', fields=('from', 'users', 'password_hashes', 'mfa_enrolled', 'social_accounts', 'cutover'), optional=True),
)

FIELDS: dict[str, FieldSpec] = {
    'schema': FieldSpec('schema', 'enum', choices=(1,), default=1),
    'project.name': FieldSpec('project.name', 'str', default='acme', pattern='[a-z][a-z0-9-]{0,63}'),
    'platforms.web': FieldSpec('platforms.web', 'enum', choices=('nextjs', 'react', 'none'), default='nextjs'),
    'platforms.nextjs_version': FieldSpec('platforms.nextjs_version', 'enum', choices=(15, 16), default=16),
    'platforms.mobile': FieldSpec('platforms.mobile', 'enum', is_list=True, choices=('expo', 'ios', 'android'), default=(), unique=True),
    'platforms.chrome_extension': FieldSpec('platforms.chrome_extension', 'bool', default=False),
    'platforms.backends': FieldSpec('platforms.backends', 'enum', is_list=True, choices=('fastapi', 'flask', 'django', 'express'), default=(), unique=True),
    'audience': FieldSpec('audience', 'enum', choices=('b2c', 'b2b', 'internal'), default='b2c'),
    'users.expected_mau': FieldSpec('users.expected_mau', 'int', default=1000, ge=0, le=10000000000),
    'users.regions': FieldSpec('users.regions', 'enum', is_list=True, choices=('us', 'eu', 'apac', 'latam', 'africa', 'global'), default=('global',), min_items=1, unique=True, check='regions'),
    'tenancy.organizations': FieldSpec('tenancy.organizations', 'enum', choices=('none', 'optional', 'required'), order=('none', 'optional', 'required'), default='none'),
    'tenancy.users_in_many_orgs': FieldSpec('tenancy.users_in_many_orgs', 'bool', default=False),
    'tenancy.enterprise_sso': FieldSpec('tenancy.enterprise_sso', 'bool', default=False),
    'tenancy.domain_auto_join': FieldSpec('tenancy.domain_auto_join', 'bool', default=False),
    'tenancy.custom_roles': FieldSpec('tenancy.custom_roles', 'str', is_list=True, default=(), unique=True, check='role_keys'),
    'threat_model.impact': FieldSpec('threat_model.impact', 'enum', choices=('auto', 'low', 'moderate', 'high'), order=('auto', 'low', 'moderate', 'high'), default='auto'),
    'threat_model.data_sensitivity': FieldSpec('threat_model.data_sensitivity', 'enum', choices=('public', 'internal', 'confidential', 'regulated'), order=('public', 'internal', 'confidential', 'regulated'), default='internal'),
    'threat_model.compliance': FieldSpec('threat_model.compliance', 'enum', is_list=True, choices=('hipaa', 'pci-dss', 'soc2', 'gdpr', 'iso27001'), default=(), unique=True),
    'threat_model.threats': FieldSpec('threat_model.threats', 'enum', is_list=True, choices=('credential-stuffing', 'phishing', 'bots', 'sim-swap', 'account-sharing', 'insider'), default=(), unique=True),
    'threat_model.privileged_users': FieldSpec('threat_model.privileged_users', 'bool', default=False),
    'threat_model.personal_data': FieldSpec('threat_model.personal_data', 'enum', choices=('auto', 'none', 'present'), default='auto'),
    'threat_model.pci_scope': FieldSpec('threat_model.pci_scope', 'enum', choices=('auto', 'staff', 'cardholders'), default='auto'),
    'preferences.passwords': FieldSpec('preferences.passwords', 'enum', choices=('allowed', 'avoid'), default='allowed'),
    'preferences.social_providers': FieldSpec('preferences.social_providers', 'enum', is_list=True, choices=('google', 'github', 'microsoft', 'apple', 'gitlab', 'discord', 'linkedin', 'facebook', 'twitter', 'slack', 'bitbucket', 'atlassian', 'notion', 'linear', 'spotify', 'twitch', 'tiktok', 'dropbox', 'box', 'coinbase', 'hubspot', 'huggingface', 'line', 'xero'), default=(), unique=True),
    'preferences.passwordless': FieldSpec('preferences.passwordless', 'enum', is_list=True, choices=('email_code', 'email_link', 'sms_code'), default=(), unique=True),
    'preferences.passkeys': FieldSpec('preferences.passkeys', 'bool', default=True),
    'preferences.mfa': FieldSpec('preferences.mfa', 'enum', choices=('auto', 'off', 'optional', 'required'), order=('auto', 'off', 'optional', 'required'), default='auto'),
    'preferences.session_max_lifetime_hours': FieldSpec('preferences.session_max_lifetime_hours', 'int', nullable=True, ge=1, le=8760),
    'preferences.multi_session': FieldSpec('preferences.multi_session', 'bool', default=False),
    'preferences.sms_second_factor': FieldSpec('preferences.sms_second_factor', 'bool', default=False),
    'integrations.m2m': FieldSpec('integrations.m2m', 'bool', default=False),
    'integrations.api_keys': FieldSpec('integrations.api_keys', 'bool', default=False),
    'integrations.webhooks': FieldSpec('integrations.webhooks', 'enum', is_list=True, choices=('user.created', 'user.updated', 'user.deleted', 'session.created', 'session.ended', 'session.removed', 'session.revoked', 'email.created', 'sms.created', 'organization.created', 'organization.updated', 'organization.deleted', 'organizationDomain.created', 'organizationDomain.updated', 'organizationDomain.deleted', 'organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted', 'organizationInvitation.created', 'organizationInvitation.accepted', 'organizationInvitation.revoked', 'role.created', 'role.updated', 'role.deleted', 'permission.created', 'permission.updated', 'permission.deleted', 'waitlistEntry.created', 'waitlistEntry.updated', 'paymentAttempt.created', 'paymentAttempt.updated', 'subscription.created', 'subscription.updated', 'subscription.active', 'subscription.pastDue', 'subscriptionItem.created', 'subscriptionItem.updated', 'subscriptionItem.active', 'subscriptionItem.canceled', 'subscriptionItem.upcoming', 'subscriptionItem.ended', 'subscriptionItem.abandoned', 'subscriptionItem.incomplete', 'subscriptionItem.pastDue', 'subscriptionItem.freeTrialEnding'), default=(), unique=True),
    'integrations.billing': FieldSpec('integrations.billing', 'bool', default=False),
    'migration.from': FieldSpec('migration.from', 'enum', choices=('none', 'auth0', 'firebase', 'supabase', 'cognito', 'authjs', 'django', 'keycloak', 'custom'), default='none'),
    'migration.users': FieldSpec('migration.users', 'int', default=0, ge=0, le=10000000000),
    'migration.password_hashes': FieldSpec('migration.password_hashes', 'enum', choices=('unknown', 'none', 'bcrypt', 'bcrypt_sha256_django', 'bcrypt_peppered', 'md5', 'md5_salted', 'sha256', 'sha256_salted', 'pbkdf2_sha1', 'pbkdf2_sha256', 'pbkdf2_sha256_django', 'pbkdf2_sha512', 'pbkdf2_sha512_hex', 'phpass', 'md5_phpass', 'ldap_ssha', 'scrypt_firebase', 'scrypt_werkzeug', 'argon2i', 'argon2id', 'sha512_symfony', 'awscognito', 'hmac_sha256_utf16_b64'), default='unknown'),
    'migration.mfa_enrolled': FieldSpec('migration.mfa_enrolled', 'bool', default=False),
    'migration.social_accounts': FieldSpec('migration.social_accounts', 'bool', default=False),
    'migration.cutover': FieldSpec('migration.cutover', 'enum', choices=('auto', 'big_bang', 'trickle'), default='auto'),
}


class Project(NamedTuple):
    name: str = 'acme'


class Platforms(NamedTuple):
    web: Literal['nextjs', 'react', 'none'] = 'nextjs'
    nextjs_version: Literal[15, 16] = 16
    mobile: tuple[Literal['expo', 'ios', 'android'], ...] = ()
    chrome_extension: bool = False
    backends: tuple[Literal['fastapi', 'flask', 'django', 'express'], ...] = ()


class Users(NamedTuple):
    expected_mau: int = 1000
    regions: tuple[Literal['us', 'eu', 'apac', 'latam', 'africa', 'global'], ...] = ('global',)


class Tenancy(NamedTuple):
    organizations: Literal['none', 'optional', 'required'] = 'none'
    users_in_many_orgs: bool = False
    enterprise_sso: bool = False
    domain_auto_join: bool = False
    custom_roles: tuple[str, ...] = ()


class ThreatModel(NamedTuple):
    impact: Literal['auto', 'low', 'moderate', 'high'] = 'auto'
    data_sensitivity: Literal['public', 'internal', 'confidential', 'regulated'] = 'internal'
    compliance: tuple[Literal['hipaa', 'pci-dss', 'soc2', 'gdpr', 'iso27001'], ...] = ()
    threats: tuple[Literal['credential-stuffing', 'phishing', 'bots', 'sim-swap', 'account-sharing', 'insider'], ...] = ()
    privileged_users: bool = False
    personal_data: Literal['auto', 'none', 'present'] = 'auto'
    pci_scope: Literal['auto', 'staff', 'cardholders'] = 'auto'


class Preferences(NamedTuple):
    passwords: Literal['allowed', 'avoid'] = 'allowed'
    social_providers: tuple[Literal['google', 'github', 'microsoft', 'apple', 'gitlab', 'discord', 'linkedin', 'facebook', 'twitter', 'slack', 'bitbucket', 'atlassian', 'notion', 'linear', 'spotify', 'twitch', 'tiktok', 'dropbox', 'box', 'coinbase', 'hubspot', 'huggingface', 'line', 'xero'], ...] = ()
    passwordless: tuple[Literal['email_code', 'email_link', 'sms_code'], ...] = ()
    passkeys: bool = True
    mfa: Literal['auto', 'off', 'optional', 'required'] = 'auto'
    session_max_lifetime_hours: int | None = None
    multi_session: bool = False
    sms_second_factor: bool = False


class Integrations(NamedTuple):
    m2m: bool = False
    api_keys: bool = False
    webhooks: tuple[Literal['user.created', 'user.updated', 'user.deleted', 'session.created', 'session.ended', 'session.removed', 'session.revoked', 'email.created', 'sms.created', 'organization.created', 'organization.updated', 'organization.deleted', 'organizationDomain.created', 'organizationDomain.updated', 'organizationDomain.deleted', 'organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted', 'organizationInvitation.created', 'organizationInvitation.accepted', 'organizationInvitation.revoked', 'role.created', 'role.updated', 'role.deleted', 'permission.created', 'permission.updated', 'permission.deleted', 'waitlistEntry.created', 'waitlistEntry.updated', 'paymentAttempt.created', 'paymentAttempt.updated', 'subscription.created', 'subscription.updated', 'subscription.active', 'subscription.pastDue', 'subscriptionItem.created', 'subscriptionItem.updated', 'subscriptionItem.active', 'subscriptionItem.canceled', 'subscriptionItem.upcoming', 'subscriptionItem.ended', 'subscriptionItem.abandoned', 'subscriptionItem.incomplete', 'subscriptionItem.pastDue', 'subscriptionItem.freeTrialEnding'], ...] = ()
    billing: bool = False


class Migration(NamedTuple):
    from_: Literal['none', 'auth0', 'firebase', 'supabase', 'cognito', 'authjs', 'django', 'keycloak', 'custom'] = 'none'
    users: int = 0
    password_hashes: Literal['unknown', 'none', 'bcrypt', 'bcrypt_sha256_django', 'bcrypt_peppered', 'md5', 'md5_salted', 'sha256', 'sha256_salted', 'pbkdf2_sha1', 'pbkdf2_sha256', 'pbkdf2_sha256_django', 'pbkdf2_sha512', 'pbkdf2_sha512_hex', 'phpass', 'md5_phpass', 'ldap_ssha', 'scrypt_firebase', 'scrypt_werkzeug', 'argon2i', 'argon2id', 'sha512_symfony', 'awscognito', 'hmac_sha256_utf16_b64'] = 'unknown'
    mfa_enrolled: bool = False
    social_accounts: bool = False
    cutover: Literal['auto', 'big_bang', 'trickle'] = 'auto'


class Requirements(NamedTuple):
    """clerk-requirements.yaml, schema 1, validated: the value every stage reads."""

    schema: Literal[1] = 1
    project: Project = Project()
    platforms: Platforms = Platforms()
    audience: Literal['b2c', 'b2b', 'internal'] = 'b2c'
    users: Users = Users()
    tenancy: Tenancy = Tenancy()
    threat_model: ThreatModel = ThreatModel()
    preferences: Preferences = Preferences()
    integrations: Integrations = Integrations()
    migration: Migration = Migration()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Requirements:
        """Build from a document the contract has already validated and completed."""
        return from_data(cls, SECTION_TYPES, data)

    def to_data(self) -> dict[str, Any]:
        """The full, defaulted document, as written to files (a fresh copy)."""
        return document(self)

    def to_document(self) -> dict[str, Any]:
        """to_data() without the optional sections at their defaults: what snapshots record."""
        return without_default_sections(self, OPTIONAL_SECTIONS)

    @property
    def sha256(self) -> str:
        """Digest of the requirements: equal meaning, equal digest (an optional section at its
        defaults means the same as no section)."""
        return sha256_of_data(self.to_document())


SECTION_TYPES: dict[str, Any] = {"project": Project, "platforms": Platforms, "users": Users, "tenancy": Tenancy, "threat_model": ThreatModel, "preferences": Preferences, "integrations": Integrations, "migration": Migration}
OPTIONAL_SECTIONS: dict[str, Any] = {"migration": Migration}
