"""imilo-audit: audit de la qualité des données i-milo (exports -> GX -> findings -> rapport)."""

from .errors import AuditError, InputError

__version__ = "0.1.0"
__all__ = ["AuditError", "InputError", "__version__"]
