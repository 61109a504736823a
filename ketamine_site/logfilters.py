"""Logging filters for running the site."""

import logging
import time


class Throttle(logging.Filter):
    """Lets one record through per ``seconds`` on the logger it is attached to: a
    down Redis fails every cache call, and is worth one report a minute, not one each."""

    def __init__(self, seconds=60):
        super().__init__()
        self.seconds = seconds
        self.reset()

    def reset(self):
        self.quiet_until = 0.0

    def filter(self, record):
        now = time.monotonic()
        if now < self.quiet_until:
            return False
        self.quiet_until = now + self.seconds
        return True
