"""Pulled instance configuration against the recommendation, and development against production."""

from __future__ import annotations

import json
from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.instance import SETTINGS, PulledConfig, Setting, lookup, present
from advisor.audit.model import Finding, Severity
from advisor.audit.registry import check

CONFIG_PULL = ("clerk/cli PR #188 (config pull/patch)", "https://github.com/clerk/cli/pull/188")
_AREA_DOCS = {
    "mfa": ("Clerk: multi-factor authentication", "https://clerk.com/docs/guides/configure/auth-strategies/"
                                                  "sign-up-sign-in-options"),
    "lockout": ("Clerk: user lockout", "https://clerk.com/docs/guides/secure/user-lockout"),
    "password": ("Clerk: password rules", "https://clerk.com/docs/guides/secure/password-protection-and-rules"),
    "sign-up-mode": ("Clerk: restricting access", "https://clerk.com/docs/guides/secure/restricting-access"),
    "session": ("Clerk: session options", "https://clerk.com/docs/guides/secure/session-options"),
}


def _show(value: object) -> str:
    return json.dumps(value)


def _against_recommendation(ctx: Context, area: str) -> Iterator[Finding]:
    rec = ctx.recommendation
    if rec is None:
        return
    check_id = f"config.{area}"
    for pulled in ctx.pulled:
        for setting in SETTINGS:
            if setting.area != area:
                continue
            have, want = lookup(pulled.doc, setting.path), lookup(rec.settings, setting.path)
            if not present(have) or not present(want) or have == want:
                continue
            weaker = setting.stronger(want, have)
            message = (f"{setting.name} is {_show(have)}; the recommendation is {_show(want)}"
                       + (" (weaker)" if weaker else ""))
            yield ctx.at(check_id, pulled.shown, pulled.line_of(setting.path), 1, message,
                         None if weaker else Severity.LOW)


def _register(area: str, severity: str, title: str, fix: str) -> None:
    def run(ctx: Context) -> Iterator[Finding]:
        return _against_recommendation(ctx, area)

    run.__name__ = f"config_{area.replace('-', '_')}"
    check(f"config.{area}", severity, title, fix=fix + " Apply with `clerk config patch --file clerk-config.json`.",
          refs=[_AREA_DOCS[area], CONFIG_PULL])(run)


_register("mfa", "high", "Instance MFA settings weaker than recommended",
          "Require MFA (auth_multi_factor.required_for_sign_in) and enable the recommended factors.")
_register("lockout", "medium", "Instance account lockout weaker than recommended",
          "Enable user lockout with the recommended attempts and duration.")
_register("password", "medium", "Instance password rules weaker than recommended",
          "Raise min_length and keep the breached-password check (HIBP) on.")
_register("sign-up-mode", "high", "Instance sign-up mode more open than recommended",
          "Set auth_access_control.sign_up_mode to the recommended mode (restricted or waitlist).")
_register("session", "medium", "Instance session settings weaker than recommended",
          "Set the recommended maximum lifetime, inactivity timeout and multi-session mode.")


@check("config.dev-prod-drift", "medium", "Development and production instances differ on a security setting",
       fix="Apply the same clerk-config.json to both instances (`clerk config patch --instance prod ...`).",
       refs=[CONFIG_PULL, ("hurttlocker/o8#1336", "https://github.com/hurttlocker/o8/issues/1336")],
       help="Settings tested on development and never applied to production (or the reverse) are a common cause "
            "of production surprises.")
def dev_prod_drift(ctx: Context) -> Iterator[Finding]:
    if len(ctx.pulled) < 2:
        return
    first, second = ctx.pulled[0], ctx.pulled[1]
    for setting in SETTINGS:
        yield from _drift(ctx, setting, first, second)


def _drift(ctx: Context, setting: Setting, first: PulledConfig, second: PulledConfig) -> Iterator[Finding]:
    a, b = lookup(first.doc, setting.path), lookup(second.doc, setting.path)
    if present(a) and present(b) and a != b:
        yield ctx.at("config.dev-prod-drift", second.shown, second.line_of(setting.path), 1,
                     f"{setting.name} is {_show(b)} here but {_show(a)} in {first.shown}")
