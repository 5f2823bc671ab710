"""The layers as a user meets them: importing gandemo leaves matplotlib (and the user's choice of its backend),
Gradio and the hosting code alone, and the settings table reads without torch."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_import_gandemo_loads_no_plotting_ui_or_hosting_module():
    code = "import gandemo, sys; print(sorted(m for m in ('matplotlib', 'gradio', 'spaces') if m in sys.modules))"
    assert python(code) == "[]"


def test_the_settings_table_reads_without_torch():
    code = "import sys; from gandemo.core import settings; print(settings.ROWS.read(8), 'torch' in sys.modules)"
    assert python(code) == "8 False"


def test_a_grid_draws_without_matplotlib_and_a_plot_keeps_the_users_backend(tmp_path):
    code = (
        "import sys, matplotlib\n"
        "matplotlib.use('svg')\n"
        "import gandemo\n"
        "from tests.conftest import make_checkpoint\n"
        f"folder = make_checkpoint(__import__('pathlib').Path({str(tmp_path)!r}), 'toy-gan')\n"
        "toy = gandemo.load_generator(folder)\n"
        "from gandemo.core.plots import toy_plot\n"
        "picture = toy_plot(None, gandemo.sample(toy, 50, seed=1))\n"
        "import matplotlib.pyplot as plt\n"
        "print(picture.mode, matplotlib.get_backend(), plt.get_fignums())\n"
    )
    assert python(code) == "RGB svg []"
    code = "import sys, gandemo, torch; torch.manual_seed(0)\n"
    code += "g = gandemo.build_generator(gandemo.ModelConfig(arch='mlp', latent_dim=8, g_hidden=(8,))).eval()\n"
    code += "print(type(gandemo.grid(g, rows=2, cols=2, seed=7)).__name__, 'matplotlib' in sys.modules)"
    assert python(code) == "Image False"
