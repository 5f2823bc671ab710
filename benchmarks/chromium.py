"""The system Chromium and the flags it runs headless with, for the browser tests and the benchmarks."""

import os
import shutil

# Playwright cannot download its own browser offline; it drives the system's Chromium instead
CHROMIUM = os.environ.get("GANDEMO_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
