"""The page's top and bottom lines, the same in the app and the static edition: what gandemo is, what a GAN
is in one plain sentence, and a footer a visitor reads (what the operator needs goes to the log instead)."""

from __future__ import annotations

from ..service.showroom import Showroom

TITLE = "gandemo"
TAGLINE = "Small GANs trained offline with `python -m train`, shown live in your browser."
WHAT_IS_A_GAN = (
    "A **GAN** (generative adversarial network) is two neural networks trained against each other: a "
    "*generator* turns random numbers into pictures, a *discriminator* learns to tell those pictures from real "
    "ones, and each gets better by beating the other until the generator's pictures look real."
)
WHERE = {  # what the footer says is drawn where, by edition
    "app": "drawn in your browser (the server only sends the model files)",
    "static": "drawn in your browser: nothing here runs on a server",
}


def header_markdown() -> str:
    """The title, what gandemo is, and what a GAN is (Markdown)."""
    return f"# {TITLE}\n{TAGLINE}\n\n{WHAT_IS_A_GAN}"


def footer_markdown(showroom: Showroom, edition: str) -> str:
    """How many models are shown and where they are drawn, and any that could not be shown and why."""
    count = len(showroom.names())
    lines = [f"{count} model{'s' * (count != 1)} shown, {WHERE[edition]}."]
    lines += [f"- {name} could not be shown: {error}" for name, error in showroom.errors.items()]
    return "\n".join(lines)
