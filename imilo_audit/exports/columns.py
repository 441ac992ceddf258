"""Matching a file's headers to the fields of its table (canonical header, aliases, config aliases)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import ConfigError, DuplicateColumnError, MissingColumnError
from ..text import header_key
from .schema import TABLES, TableSchema

Aliases = Mapping[str, Mapping[str, Sequence[str]]]


@dataclass(frozen=True)
class ColumnMap:
    """Where each field of a table is in a file."""

    positions: dict[str, int]  # field -> column position, in the schema's order
    headers: dict[str, str]  # field -> header as written in the file
    absent: list[str]  # optional fields without a column, in the schema's order
    unknown: list[str]  # headers that match no field (their columns are ignored)


def check_aliases(aliases: Aliases | None) -> None:
    """Reject configuration aliases naming an unknown table or field, or an ambiguous header."""
    for table, per_field in (aliases or {}).items():
        if table not in TABLES:
            raise ConfigError(
                f"La configuration donne des alias pour une table inconnue « {table} ». "
                f"Tables possibles : {', '.join(TABLES)}."
            )
        header_index(TABLES[table], per_field)


def header_index(schema: TableSchema, extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """Header key -> field: canonical headers first, then configuration aliases, then built-in aliases.

    A configuration alias wins over a built-in alias of another field (the structure knows what its
    query calls a column), never over a canonical header.
    """
    extra = extra or {}
    index: dict[str, str] = {header_key(f.header): f.name for f in schema.fields.values()}
    for name, names in extra.items():
        if name not in schema.fields:
            raise ConfigError(
                f"La configuration donne des alias pour un champ inconnu « {name} » de la table "
                f"« {schema.name} ». Champs possibles : {', '.join(schema.fields)}."
            )
        if isinstance(names, str):
            names = [names]
        for alias in names:
            key = header_key(alias)
            if not key:
                raise ConfigError(f"L'alias « {alias} » de « {schema.name}.{name} » est vide.")
            owner = index.setdefault(key, name)
            if owner != name:
                raise ConfigError(
                    f"L'alias « {alias} » de « {schema.name}.{name} » désigne déjà le champ « {owner} » "
                    f"de la table « {schema.name} ». Choisissez un autre nom."
                )
    for spec in schema.fields.values():
        for alias in spec.aliases:
            index.setdefault(header_key(alias), spec.name)
    return index


def header_rank(schema: TableSchema, key: str, field: str, extra: Mapping[str, Sequence[str]] | None = None) -> int:
    """Which of two headers of one field wins (lower first): the canonical header, then the configuration's
    aliases, then the built-in aliases in the order spec/exports.md lists them."""
    spec = schema.fields[field]
    if header_key(spec.header) == key:
        return 0
    configured = (extra or {}).get(field, [])
    names = [configured] if isinstance(configured, str) else list(configured)
    names += list(spec.aliases)
    keys = [header_key(name) for name in names]
    return 1 + keys.index(key) if key in keys else len(keys) + 1


def names_tried(schema: TableSchema, field: str, extra: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Aliases of a field that a header may carry (canonical header excluded), config aliases first."""
    index = header_index(schema, extra)
    configured = (extra or {}).get(field, [])
    if isinstance(configured, str):
        configured = [configured]
    names = [*configured, *schema.fields[field].aliases]
    return list(dict.fromkeys(n for n in names if index.get(header_key(n)) == field))


def map_columns(
    headers: Sequence[str],
    schema: TableSchema,
    path: str,
    extra: Mapping[str, Sequence[str]] | None = None,
) -> ColumnMap:
    """Fields of ``schema`` found among ``headers``.

    Raises DuplicateColumnError when two columns give one field, MissingColumnError when a
    required field has no column.
    """
    index = header_index(schema, extra)
    found: dict[str, list[int]] = {}
    unknown: list[int] = []
    for position, header in enumerate(headers):
        key = header_key(header)
        if key in index:
            found.setdefault(index[key], []).append(position)
        elif key:
            unknown.append(position)

    for name, positions in list(found.items()):
        if len(positions) > 1:  # the canonical header wins over an alias, an alias over a later one
            keys = [header_key(headers[p]) for p in positions]
            ranked = sorted(positions, key=lambda p: header_rank(schema, header_key(headers[p]), name, extra))
            same = [p for p in positions if keys.count(header_key(headers[p])) > 1]
            if same and header_key(headers[ranked[0]]) == header_key(headers[same[0]]):
                raise DuplicateColumnError(path, name, [headers[p] for p in same])
            found[name] = [ranked[0]]
            unknown.extend(ranked[1:])
    unknown.sort()

    for spec in schema.fields.values():
        if spec.required and spec.name not in found:
            tried = names_tried(schema, spec.name, extra)
            raise MissingColumnError(
                path,
                spec.name,
                spec.header,
                tried,
                closest_header([spec.header, *tried], [headers[p] for p in unknown]),
                schema.name,
            )

    order = [name for name in schema.fields if name in found]
    return ColumnMap(
        positions={name: found[name][0] for name in order},
        headers={name: headers[found[name][0]] for name in order},
        absent=[name for name in schema.fields if name not in found and not schema.fields[name].required],
        unknown=[headers[p] for p in unknown],
    )


def closest_header(names: Sequence[str], headers: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The header of ``headers`` closest to any of ``names`` (compared by header key), or None."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    best: tuple[float, str] | None = None
    for name in names:
        key = header_key(name)
        for match in difflib.get_close_matches(key, list(by_key), n=1, cutoff=cutoff):
            ratio = difflib.SequenceMatcher(None, key, match).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, by_key[match])
    return best[1] if best else None
