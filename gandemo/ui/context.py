"""What every tab is built from: the showroom, its model lists, the model shown first, and what the browser
runtime is told (``browser.site``)."""

from __future__ import annotations

import atexit
from dataclasses import dataclass, field
from pathlib import Path

from ..service.neighbours import TrainingIndex
from ..service.showroom import Showroom
from . import browser


def first_of(names: list[str]) -> str | None:
    """The model a tab shows first: the DCGAN where it is one of ``names``, else the first (None if none)."""
    return "dcgan" if "dcgan" in names else next(iter(names), None)


@dataclass
class Context:
    showroom: Showroom
    data_dir: Path | None = None  # MNIST, for the nearest training digits (None: $GANDEMO_DATA or ~/.cache/gandemo)
    cache_dir: Path | None = None  # where their index is kept (None: $GANDEMO_CACHE or ~/.cache/gandemo)
    download: bool = False  # download MNIST into data_dir for them where it is missing (python app.py does)
    site: dict = field(init=False)
    tabs: list[dict] = field(init=False)
    training_index: TrainingIndex = field(init=False)

    def __post_init__(self):
        classifier = self.showroom.root / browser.CLASSIFIER
        self.training_index = TrainingIndex(
            classifier, data_dir=self.data_dir, cache_dir=self.cache_dir, download=self.download
        )
        self.mnist, self.toys = self.showroom.names("mnist"), self.showroom.names("8gaussians")
        self.first = first_of(self.mnist)
        self.site = browser.site(self.showroom)
        from . import digits, playground, tabs  # (the tabs are described from this context)

        self.site["playground"].update(playground.widget_tables())  # (the Playground widget's tables)
        self.site["digits"] = digits.widget_tables(self.showroom)  # (the digits tab's)
        self.tabs = tabs.describe(self)  # every tab's controls, view and rules (web/front/rules.js)
        atexit.register(self.showroom.temp.cleanup)
