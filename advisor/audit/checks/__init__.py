"""Every check module; importing this package registers them all."""

from advisor.audit.checks import (  # noqa: F401
    authz,
    dependencies,
    dev_bypass,
    express,
    instance_config,
    js_tokens,
    keys,
    nextjs_cache,
    nextjs_components,
    nextjs_handlers,
    nextjs_middleware,
    org_claims,
    python_auth,
    python_jwt,
    recommendation,
    secrets,
    webhooks,
)
from advisor.audit.registry import builtin

_TREE_SITTER = ("tree-sitter (the JS/TS parser)", "https://tree-sitter.github.io/tree-sitter/")
_PY_AST = ("Python ast (the Python parser)", "https://docs.python.org/3/library/ast.html")
_INLINE_IGNORE = ("Prior art: inline ignores with a reason", "https://semgrep.dev/docs/ignoring-files-folders-code")

builtin("audit.parse-error", "info", "File could not be parsed",
        fix="Fix the syntax error; the file's checks ran only on the parts that parsed (JS/TS) or not at all "
            "(Python).",
        refs=[_TREE_SITTER, _PY_AST])
builtin("audit.unreadable-file", "info", "File could not be read",
        fix="Check the file's permissions; it was skipped.", refs=[_PY_AST])
builtin("audit.suppression-invalid", "low", "Suppression comment without an id or a reason",
        fix="Write `clerk-advisor: ignore CHECK-ID -- why this is safe` (the reason is required).",
        refs=[_INLINE_IGNORE])
builtin("audit.check-error", "info", "A check failed on this project",
        fix="Report this to the clerk-advisor maintainers with the file that caused it; the other checks ran.",
        refs=[_TREE_SITTER, _PY_AST])
