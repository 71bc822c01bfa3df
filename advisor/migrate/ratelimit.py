"""A rate limiter for every request of a run: at most `rate` per second, no bursts.

Each request takes the next free slot on a schedule spaced 1/rate apart, so requests go
out evenly whatever the concurrency, and idle time is not saved up for a burst; a sliding
window over the actual send times makes sure no second ever holds more than `rate`, even
after the process was stalled. A 429 pauses everyone until its Retry-After has passed and
halves the rate (once per pause); the rate then climbs back by 5% of the target per quiet
second, so a `--rate` above the instance's real limit settles just under it.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.target = rate
        self.rate = rate
        self.floor = min(rate, 0.5)
        self.throttles = 0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._last_throttle = float("-inf")
        self._last_raise = float("-inf")
        capacity = max(1, int(rate))
        self._window = capacity / rate  # one second, or longer for rates below one a second
        self._sent: collections.deque[float] = collections.deque(maxlen=capacity)

    async def acquire(self) -> None:
        """Wait for this request's slot."""
        while True:
            now = self._clock()
            self._recover(now)
            start = max(now, self._next, self._paused_until)
            self._next = start + 1.0 / self.rate
            if start > now:
                await self._sleep(start - now)
            if self._clock() < self._paused_until:
                continue  # a 429 arrived while we waited: take a slot after the pause
            # The schedule spaces requests; should the process have been stalled and wake with
            # several slots due at once, this window still holds the cap: never more than the
            # target in any `window` seconds of actual sending.
            while len(self._sent) == self._sent.maxlen and self._clock() - self._sent[0] < self._window:
                await self._sleep(self._sent[0] + self._window - self._clock())
            self._sent.append(self._clock())
            return

    def throttle(self, retry_after: float) -> None:
        """Clerk answered 429: nobody sends before Retry-After, and the rate goes down."""
        now = self._clock()
        self.throttles += 1
        self._paused_until = max(self._paused_until, now + retry_after)
        if now - self._last_throttle > max(1.0, retry_after):
            self.rate = max(self.floor, self.rate / 2)
        self._last_throttle = now

    def _recover(self, now: float) -> None:
        if self.rate >= self.target:
            return
        quiet_since = max(self._last_throttle + 5.0, self._last_raise)
        if now - quiet_since >= 1.0:
            self.rate = min(self.target, self.rate + 0.05 * self.target * int(now - quiet_since))
            self._last_raise = now
