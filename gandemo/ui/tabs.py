"""The app's tabs in order, and their descriptions (each tab module's ``describe``): the one list of every
tab's controls, view and rules, which the Gradio app builds and the static edition hands to its page."""

from __future__ import annotations

from . import compare, digits, directions, mnist, playground, probe, toy, training, walk

# in order; each builds its own tab
MODULES = (mnist, compare, walk, directions, toy, training, playground, digits, probe)


def describe(ctx) -> list[dict]:
    """Every tab's description (plain data, as the browser reads it in ``site.tabs``)."""
    return [module.describe(ctx) for module in MODULES]
