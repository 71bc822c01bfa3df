"""One module per command. Each exposes `add_parser(subparsers)` and `run(args) -> int`.

The CLI imports a command's module only when that command runs, so `recommend` never
pays for questionary or httpx.
"""

COMMANDS: dict[str, str] = {
    "ask": "interactive questionnaire that writes clerk-requirements.yaml",
    "recommend": "evaluate the rule pack and print the recommended architecture",
    "generate": "write a starter project and clerk-config.json",
    "explain": "why a decision has its value: every rule that touched it",
    "diff": "semantic diff of two recommendations, with the cause of each change",
    "history": "list saved recommendations",
    "rules": "inspect or validate the rule pack",
    "docs": "the Context7 docs cache",
    "check": "audit an existing project's code for Clerk mistakes",
    "migrate": "move users from another auth system into Clerk",
}
