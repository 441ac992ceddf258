"""Errors carry their data, build their French message from it, and survive pickling."""

import pickle

import pytest

from imilo_audit.errors import (
    ConfigError,
    DuplicateColumnError,
    ExportFolderError,
    InputError,
    MissingColumnError,
    SuiteError,
    TooManyFilesError,
    UnreadableFileError,
)
from imilo_audit.run.runner import NotebookFailure

ERRORS = [
    MissingColumnError("export/jeunes.csv", "id_jeune", "Identifiant jeune", ["ID jeune", "N° dossier"], "Id jeunes"),
    DuplicateColumnError("export/jeunes.csv", "email", ["Email", "Courriel"]),
    UnreadableFileError("export/jeunes.csv", "le fichier est vide"),
    ExportFolderError("Aucun fichier « jeunes »."),
    ConfigError("Seuil inconnu."),
    SuiteError("Suite illisible."),
    TooManyFilesError(),
    NotebookFailure("10_adresses.ipynb", "audits/.2026-10.echec/notebooks/10_adresses.ipynb", "KeyError : x"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_error_survives_pickling(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and copy.message == error.message


def test_missing_column_message_names_file_column_aliases_and_closest_header():
    message = ERRORS[0].message
    for part in ("export/jeunes.csv", "Identifiant jeune", "ID jeune", "N° dossier", "Id jeunes", "[alias]"):
        assert part in message


def test_input_errors_are_exit_code_2_and_others_are_not():
    assert all(isinstance(e, InputError) for e in ERRORS[:5])
    assert not isinstance(ERRORS[5], InputError) and not isinstance(ERRORS[6], InputError)
