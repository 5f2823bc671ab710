"""What every tab is built from: the showroom, its model lists, the model shown first, and what the browser
runtime is told (``browser.site``)."""

from __future__ import annotations

import atexit
from dataclasses import dataclass, field

from ..showroom import Showroom
from . import browser


@dataclass
class Context:
    showroom: Showroom
    site: dict = field(init=False)

    def __post_init__(self):
        self.mnist, self.toys = self.showroom.names("mnist"), self.showroom.names("8gaussians")
        self.first = "dcgan" if "dcgan" in self.mnist else (self.mnist[0] if self.mnist else None)
        self.site = browser.site(self.showroom)
        atexit.register(self.showroom.temp.cleanup)
