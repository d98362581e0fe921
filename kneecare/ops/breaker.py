"""A per-process circuit breaker: after a failure, fail at once for a cooldown, then probe.

Hand-written: the few breaker libraries wrap calls, while the hooks here (a database engine's
connect, a Redis client's command) need only allow/failure/success. Exactly one caller probes
when a cooldown ends (it re-arms the breaker first), every other caller keeps failing fast.
"""

import logging
import threading
import time

logger = logging.getLogger("kneecare.ops")


class Breaker:
    def __init__(self, name: str, cooldown):
        self.name = name
        self._cooldown = cooldown  # a callable, so settings overrides take effect
        self._open_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._open_until > time.monotonic()

    def allow(self) -> bool:
        if not self._open_until:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            self._open_until = now + self._cooldown()  # this caller probes; others wait
            return True

    def failure(self) -> None:
        with self._lock:
            if not self._open_until:
                logger.error("%s unavailable; failing fast for %ss", self.name, self._cooldown())
            self._open_until = time.monotonic() + self._cooldown()

    def success(self) -> None:
        if self._open_until:
            with self._lock:
                if self._open_until:
                    logger.warning("%s available again", self.name)
                self._open_until = 0.0

    def reset(self) -> None:
        self._open_until = 0.0
