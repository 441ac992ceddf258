"""Where things are: the project's folders, the layout of an audits folder, and the checks of the folders
a person names on the command line (French messages).

Front door for every stage: ``ROOT``, ``NOTEBOOKS_DIR``, ``SAMPLE_DIR``, ``WORK``,
``earlier_audit_folders``, ``check_export_folder``, ``check_audits_dir``. No heavy import, nothing
of the package but ``errors``: reading, follow-up and the run all find their folders here.
"""

from .checks import check_audits_dir, check_export_folder
from .layout import NOTEBOOKS_DIR, ROOT, SAMPLE_DIR, WORK, earlier_audit_folders

__all__ = ["NOTEBOOKS_DIR", "ROOT", "SAMPLE_DIR", "WORK", "check_audits_dir", "check_export_folder",
           "earlier_audit_folders"]
