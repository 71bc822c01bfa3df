"""Starter projects: snapshot -> rendered files -> plan -> writer.

`render` is a pure function from the architecture to {path: content}; `plan` compares that
with what is on disk and in the manifest of the last generation; `writer` applies a plan.
`--dry-run` prints the plan and never calls the writer.
"""
