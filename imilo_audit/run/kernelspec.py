"""The notebooks' Python kernel as the project installs it: quiet on the terminal, named for the project.

ipykernel's own kernel writes its English logs to the terminal of whoever started it (``papermill``
on the command line, ``jupyter lab``): « Kernel is running over TCP without encryption »,
« KeyboardInterrupt caught in kernel » at shutdown. Those say nothing a quality officer can act on;
the kernel installed here keeps its logs for errors that stop it (``CRITICAL``). A notebook's
own errors still show in the notebook.

``python -m imilo_audit.run.kernelspec [PREFIX]`` installs it in ``PREFIX`` (default: this Python's
environment); ``make install`` and ``make lab`` run it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KERNEL_NAME = "python3"  # the name the notebooks ask for
DISPLAY_NAME = "Python 3 (imilo-audit)"
QUIET = "--IPKernelApp.log_level=CRITICAL"


def install(prefix: str | Path | None = None) -> Path:
    """Install the kernel in ``prefix`` (``share/jupyter/kernels/python3``); return its folder."""
    from ipykernel.kernelspec import install as install_kernel

    folder = Path(install_kernel(prefix=str(prefix or sys.prefix), kernel_name=KERNEL_NAME,
                                 display_name=DISPLAY_NAME))
    spec_path = folder / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    if QUIET not in spec["argv"]:
        spec["argv"].append(QUIET)
    spec_path.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    install(sys.argv[1] if len(sys.argv) > 1 else None)
