"""Running coroutines together where the first failure stops the others and is raised as itself."""

from __future__ import annotations

import asyncio
from typing import Any


async def gather(*coroutines: Any) -> None:
    """Run together; the first failure cancels the rest and is raised as itself (not as an
    ExceptionGroup), so callers catch Stop and UserError as usual."""
    try:
        async with asyncio.TaskGroup() as group:
            for coroutine in coroutines:
                group.create_task(coroutine)
    except BaseExceptionGroup as group:
        raise _first(group) from None


def _first(group: BaseExceptionGroup) -> BaseException:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first(exc)
        if not isinstance(exc, asyncio.CancelledError):
            return exc
    return group.exceptions[0]
