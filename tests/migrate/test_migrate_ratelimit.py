"""The rate limiter on a fake clock: spacing, the per-second cap after a stall, 429 pauses
and the slow climb back."""

from __future__ import annotations

import asyncio

from advisor.migrate.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def _run(limiter: RateLimiter, clock: Clock, n: int, stall_at: int | None = None) -> list[float]:
    sent: list[float] = []

    async def one(i: int) -> None:
        await limiter.acquire()
        sent.append(clock.now)
        if i == stall_at:
            clock.now += 0.5  # the process was descheduled for half a second

    async def main() -> None:
        await asyncio.gather(*(one(i) for i in range(n)))

    asyncio.run(main())
    return sorted(sent)


def _most_in_a_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_requests_are_spaced_and_never_more_than_the_rate_in_a_second():
    clock = Clock()
    sent = _run(RateLimiter(10, clock=clock, sleep=clock.sleep), clock, 50, stall_at=7)
    assert _most_in_a_second(sent) <= 10
    assert sent[-1] >= 4.4  # 50 requests at 10/s need about 5 s


def test_a_429_pauses_everyone_and_halves_the_rate_then_it_recovers():
    clock = Clock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    _run(limiter, clock, 5)
    limiter.throttle(3.0)
    assert limiter.rate == 10 and limiter.throttles == 1
    limiter.throttle(3.0)  # the other requests of the same burst: one halving per pause
    assert limiter.rate == 10
    paused_until = clock.now + 3.0
    sent = _run(limiter, clock, 5)
    assert min(sent) >= paused_until
    clock.now += 30
    _run(limiter, clock, 1)
    assert limiter.rate == 20
