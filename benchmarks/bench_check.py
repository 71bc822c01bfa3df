"""`check` benchmark: a synthetic Next.js App Router project of 250, 500, 1,000 and 2,000
files, audited end to end by the real CLI in a fresh process (start-up, listing, parsing,
every check, JSON report). Target: 1,000 files in <= 3 s on a 2-core machine, time growing
linearly with files. Prints medians.

    python benchmarks/bench_check.py [--runs N] [--semgrep PATH/TO/semgrep]

With --semgrep, the same project is also scanned by Semgrep OSS with one rule equivalent
to `nextjs.unguarded-route-handler` (route handlers that query the database without an
auth call), as a reference; clerk-advisor is then also timed with only that check. Semgrep
is not a dependency of this project: install it in a throwaway venv.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROUTE_GUARDED = """import {{ auth }} from '@clerk/nextjs/server'
import {{ db }} from '@/lib/db'

// Items of resource {i}: scoped to the caller's organization.
export async function GET(req: Request) {{
  const {{ isAuthenticated, orgId }} = await auth()
  if (!isAuthenticated) {{
    return Response.json({{ error: 'unauthenticated' }}, {{ status: 401 }})
  }}
  const url = new URL(req.url)
  const limit = Number(url.searchParams.get('limit') ?? '20')
  const rows = await db.item{i}.findMany({{ where: {{ orgId }}, take: limit }})
  return Response.json(rows.map((row) => ({{ id: row.id, name: row.name, updatedAt: row.updatedAt }})))
}}

export async function POST(req: Request) {{
  const {{ orgId }} = await auth.protect({{ permission: 'org:items:manage' }})
  const body = await req.json()
  const created = await db.item{i}.create({{ data: {{ ...body, orgId }} }})
  return Response.json(created, {{ status: 201 }})
}}
"""

ROUTE_OPEN = """import {{ db }} from '@/lib/db'

// Report {i}: relies on the middleware (a mistake the audit should report).
export async function GET() {{
  const rows = await db.report{i}.findMany({{ take: 50 }})
  const total = rows.reduce((sum, row) => sum + row.amount, 0)
  return Response.json({{ rows, total }})
}}
"""

PAGE = """import {{ auth }} from '@clerk/nextjs/server'
import {{ Show }} from '@clerk/nextjs'
import {{ db }} from '@/lib/db'
import {{ Widget{i} }} from '@/components/widget-{i}'

export default async function Page{i}() {{
  const {{ orgId }} = await auth.protect()
  const items = await db.item{i}.findMany({{ where: {{ orgId }} }})
  return (
    <section>
      <h1>Section {i}</h1>
      <Show when={{{{ permission: 'org:items:read' }}}}>
        <ul>
          {{items.map((item) => (
            <li key={{item.id}}>{{item.name}}</li>
          ))}}
        </ul>
      </Show>
      <Widget{i} count={{items.length}} />
    </section>
  )
}}
"""

ACTION = """'use server'

import {{ auth }} from '@clerk/nextjs/server'
import {{ revalidatePath }} from 'next/cache'
import {{ db }} from '@/lib/db'

export async function rename{i}(formData: FormData) {{
  const {{ orgId }} = await auth.protect({{ permission: 'org:items:manage' }})
  const id = String(formData.get('id'))
  const name = String(formData.get('name'))
  await db.item{i}.update({{ where: {{ id, orgId }}, data: {{ name }} }})
  revalidatePath('/section-{i}')
}}
"""

COMPONENT = """'use client'

import {{ useState }} from 'react'
import {{ useAuth }} from '@clerk/nextjs'

export function Widget{i}({{ count }}: {{ count: number }}) {{
  const {{ isSignedIn }} = useAuth()
  const [open, setOpen] = useState(false)
  if (!isSignedIn) return null
  return (
    <button type="button" onClick={{() => setOpen(!open)}}>
      {{open ? 'Hide' : 'Show'}} {{count}} items
    </button>
  )
}}
"""

LIB = """// Helpers for module {i}.
export type Row{i} = {{ id: string; name: string; amount: number }}

export function total{i}(rows: Row{i}[]): number {{
  return rows.reduce((sum, row) => sum + row.amount, 0)
}}

export function label{i}(row: Row{i}): string {{
  return `${{row.name}} (${{row.amount.toFixed(2)}})`
}}
"""

SEMGREP_RULE = """rules:
  - id: unguarded-route-handler
    languages: [typescript]
    severity: ERROR
    message: route handler reads data without checking auth
    paths:
      include: ["**/route.ts"]
    patterns:
      - pattern-either:
          - pattern-inside: |
              export async function $METHOD(...) { ... }
          - pattern-inside: |
              export function $METHOD(...) { ... }
      - metavariable-regex:
          metavariable: $METHOD
          regex: ^(GET|POST|PUT|PATCH|DELETE)$
      - pattern-not-inside: |
          export async function $METHOD(...) { ... auth(...); ... }
      - pattern-not-inside: |
          export async function $METHOD(...) { ... auth.protect(...); ... }
      - pattern-not-inside: |
          export async function $METHOD(...) { ... currentUser(...); ... }
      - pattern-either:
          - pattern: $DB.$TABLE.findMany(...)
          - pattern: $DB.$TABLE.create(...)
          - pattern: $DB.$TABLE.update(...)
"""

KINDS = [("app/api/items-{i}/route.ts", ROUTE_GUARDED), ("app/section-{i}/page.tsx", PAGE),
         ("app/section-{i}/actions.ts", ACTION), ("components/widget-{i}.tsx", COMPONENT),
         ("lib/util-{i}.ts", LIB)]


def write_project(root: Path, files: int) -> int:
    """A Next.js 16 app with `files` source files (1 in 10 route handlers is unguarded)."""
    (root / "lib").mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text(json.dumps({"name": "bench", "dependencies": {
        "@clerk/nextjs": "7.9.17", "next": "16.4.6", "react": "19.2.9"}}))
    (root / "proxy.ts").write_text("import { clerkMiddleware } from '@clerk/nextjs/server'\n"
                                   "export default clerkMiddleware({ authorizedParties: ['https://a.example.com'] })\n")
    (root / "lib" / "db.ts").write_text("import { PrismaClient } from '@prisma/client'\n"
                                        "export const db = new PrismaClient()\n")
    written, i, unguarded = 3, 0, 0
    while written < files:
        for pattern, template in KINDS:
            if written >= files:
                break
            if template is ROUTE_GUARDED and i % 2 == 1:
                template, pattern = ROUTE_OPEN, "app/api/reports-{i}/route.ts"
                unguarded += 1
            path = root / pattern.format(i=i)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(i=i))
            written += 1
        i += 1
    return unguarded


def _time(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


ONLY_ONE = r"""
import sys, time
from advisor.audit.registry import REGISTRY, load_checks
from advisor.audit import audit
checks = load_checks()
keep = {k: v for k, v in checks.items() if k == sys.argv[2]}
checks.clear(); checks.update(keep)
report = audit(sys.argv[1])
print(sum(1 for f in report.findings if f.check_id == sys.argv[2]))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="250,500,1000,2000")
    ap.add_argument("--semgrep", help="path to a semgrep executable (reference only)")
    args = ap.parse_args()
    env = {**os.environ, "NO_COLOR": "1"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rule = Path(tmp) / "rule.yaml"
        rule.write_text(SEMGREP_RULE)
        for size in (int(s) for s in args.sizes.split(",")):
            project = Path(tmp) / f"app-{size}"
            unguarded = write_project(project, size)
            full, one, sg = [], [], []
            found = found_one = found_sg = 0
            for _ in range(args.runs):
                elapsed, out = _time([sys.executable, "-m", "advisor", "check", str(project), "--format", "json"], env)
                full.append(elapsed)
                found = sum(1 for f in json.loads(out)["findings"] if f["check"] == "nextjs.unguarded-route-handler")
                if args.semgrep:
                    elapsed, out = _time([sys.executable, "-c", ONLY_ONE, str(project),
                                          "nextjs.unguarded-route-handler"], env)
                    one.append(elapsed)
                    found_one = int(out.strip())
                    elapsed, out = _time([args.semgrep, "scan", "--config", str(rule), "--json", "--metrics=off",
                                          "--disable-version-check", "--jobs", "2", str(project)], env)
                    sg.append(elapsed)
                    found_sg = len(json.loads(out)["results"])
            row = {"files": size, "check_s": statistics.median(full), "ms_per_file":
                   1000 * statistics.median(full) / size, "unguarded": unguarded, "found": found}
            if args.semgrep:
                row.update({"one_check_s": statistics.median(one), "found_one": found_one,
                            "semgrep_s": statistics.median(sg), "semgrep_found": found_sg})
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    print(f"\nmedian of {args.runs} runs, fresh process each (python -m advisor check DIR --format json)")
    head = f"{'files':>6}  {'check (all)':>11}  {'ms/file':>7}  {'found':>9}"
    if args.semgrep:
        head += f"  {'check (1 rule)':>14}  {'semgrep (1 rule)':>16}  {'semgrep found':>13}"
    print(head)
    for r in rows:
        line = f"{r['files']:>6}  {r['check_s']:>10.2f}s  {r['ms_per_file']:>7.2f}  {r['found']:>4}/{r['unguarded']:<4}"
        if args.semgrep:
            line += f"  {r['one_check_s']:>13.2f}s  {r['semgrep_s']:>15.2f}s  {r['semgrep_found']:>13}"
        print(line)


if __name__ == "__main__":
    main()
