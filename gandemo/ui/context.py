"""What every tab is built from: the showroom, its model lists, the model shown first, whether the server is
public, and what the browser runtime is told (``browser.site``)."""

from __future__ import annotations

import atexit
from dataclasses import dataclass, field
from pathlib import Path

from ..serving import TempFiles
from ..showroom import Showroom
from . import browser


@dataclass
class Context:
    showroom: Showroom
    public: bool = False
    site: dict = field(init=False)

    def __post_init__(self):
        self.mnist, self.toys = self.showroom.names("mnist"), self.showroom.names("8gaussians")
        self.first = "dcgan" if "dcgan" in self.mnist else (self.mnist[0] if self.mnist else None)
        self.site = browser.site(self.showroom)
        # Playground saves on a public server: one bounded folder, handed out as .zip files
        self.saves = TempFiles(max_entries=32, prefix="gandemo-saves-") if self.public else None
        if self.saves is not None:
            atexit.register(self.saves.cleanup)
        atexit.register(self.showroom.temp.cleanup)

    def save_folder(self, token) -> Path:
        """A visitor's saved Playground model, from the folder the page was told: only ever one inside this
        server's saves folder (a page may send anything)."""
        folder = Path(str(token)).resolve() if isinstance(token, str) else None
        if self.saves is None or folder is None or self.saves.root.resolve() not in folder.parents:
            raise ValueError("that saved model is not on this server; save it again from the Playground")
        return folder
