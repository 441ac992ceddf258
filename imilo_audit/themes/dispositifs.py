"""Dispositifs and contact (DSP, CTC): diagnostic, PACEA and CEJ dates, RSA follow-up, youths without contact.

Dates are compared by calendar day (a time of day never matters); durations count calendar months
from a day (clipped at month end: 31 January plus one month is 28 February). Each rule has a column
of verdicts: 1 when the line breaks it, 0 when it does not, NaN when the rule does not judge the line
(another kind of dispositif, or a date it needs is unknown or unreadable), so that GX counts only the
lines it looked at; each expectation wants 0.

The frames are large (every dispositif line, every dossier): routing, values as read and the facts
the messages quote are added to the flagged rows only (``resolve``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..text import same_text_series
from .base import Theme
from .context import AuditContext, arrow_text, fr_days

# Kinds of dispositif and the exit reason, as "same text" keys (the charter's long name of the CEJ too).
KINDS = {
    "diagnostic": frozenset({"diagnostic approfondi"}),
    "pacea": frozenset({"pacea"}),
    "cej": frozenset({"cej", "contrat d'engagement jeune", "contrat d’engagement jeune"}),
    "cer": frozenset({"cer"}),
    "brsa": frozenset({"convention b-rsa"}),
}
MOTIF_PACEA = frozenset({"pacea"})

DIAGNOSTIC_ALERTE_MOIS = 1  # DSP-01: « moins d'un mois »
DIAGNOSTIC_ERREUR_MOIS = 3  # « exceptionnellement jusqu'à trois mois »
ENTREE_PACEA_MOIS = 1  # DSP-02: « dans un délai de moins d'un mois »
DUREE_PACEA_MOIS = 24  # DSP-03: « au bout de 24 mois »
CONTACT_JOURS = 30  # CTC-01: « sans contact dans le mois »
SANS_CONTACT_MOIS = 12  # CTC-02: « sans contact depuis un an »

CHAMPS = {
    "dispositifs": ["dispositif", "date_initialisation", "date_entree", "date_fin_prevue", "date_sortie"],
    "jeunes": ["date_dernier_contact"],
}


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Dispositif lines with one verdict column per DSP rule; dossiers with the CTC verdicts."""
    lines = dispositifs(ctx) if ctx.has("dispositifs") else None
    frames = {"jeunes": youths(ctx, lines)}
    if lines is not None:
        frames["dispositifs"] = lines
    return frames


# --- helpers -----------------------------------------------------------------------------------


def plus_months(dates: pd.Series, months: int) -> pd.Series:
    """``dates`` plus ``months`` calendar months (clipped at month end), NaT stays NaT."""
    return dates + pd.DateOffset(months=months)


def verdict(flag: pd.Series | np.ndarray, judged: pd.Series | np.ndarray) -> np.ndarray:
    """1 where the line breaks the rule, 0 where it does not, NaN where the rule does not judge it.

    Floats, not booleans with None: GX skips NaN as missing, and validates and fingerprints a float
    column about twice as fast as an object one (a million lines, measured).
    """
    breaks = pd.Series(flag).fillna(False).to_numpy(dtype=bool)
    return np.where(np.asarray(judged, dtype=bool), breaks.astype("float64"), np.nan)


def of_kinds(ctx: AuditContext, table: str, name: str, kinds: dict[str, frozenset[str]]) -> dict[str, np.ndarray]:
    """For each kind, which cells of a text column are of it ("same text"; each distinct text keyed once)."""
    codes, uniques = pd.factorize(ctx.column(table, name))
    keys = same_text_series(pd.Series(uniques, dtype="string")).to_numpy()
    result = {}
    for kind, names in kinds.items():
        member = np.append(np.array([key in names for key in keys], dtype=bool), False)  # code -1: empty
        result[kind] = member[codes]
    return result


def among(values: pd.Series, chosen: pd.Series) -> np.ndarray:
    """Whether each of ``values`` is one of ``chosen`` (False for NA); a hash look-up in Arrow."""
    found = pc.is_in(arrow_text(values), value_set=arrow_text(chosen.dropna().unique()))
    return found.to_numpy(zero_copy_only=False).astype(bool)  # NA in: False (is_in skips nulls)


def with_youth(codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Which youths (by code) have at least one line in ``mask`` (a youth-indexed lookup table)."""
    has = np.zeros(codes.max(initial=0) + 1, dtype=bool)
    has[codes[mask & (codes >= 0)]] = True
    return has


def nearest(
    codes: np.ndarray, left: pd.Series, left_rows: np.ndarray, right: pd.Series, right_rows: np.ndarray, direction: str
) -> pd.Series:
    """For each line of ``left_rows``, the ``right`` date of a line of ``right_rows`` of the same youth
    strictly before (``backward``) or after (``forward``) its ``left`` date; NaT elsewhere (``merge_asof``)."""
    result = pd.Series(pd.NaT, index=left.index, dtype=left.dtype)
    left_rows = left_rows & left.notna().to_numpy() & (codes >= 0)
    right_rows = right_rows & right.notna().to_numpy() & (codes >= 0)
    if not (left_rows.any() and right_rows.any()):
        return result
    keys = pd.DataFrame(
        {"jeune": codes[left_rows], "quand": left[left_rows].to_numpy(), "ligne": np.flatnonzero(left_rows)}
    )
    targets = pd.DataFrame({"jeune": codes[right_rows], "quand": right[right_rows].astype(left.dtype).to_numpy()})
    targets["trouve"] = targets["quand"]
    matched = pd.merge_asof(
        keys.sort_values("quand", kind="stable"),
        targets.sort_values("quand", kind="stable"),
        on="quand",
        by="jeune",
        direction=direction,
        allow_exact_matches=False,
    )
    result.iloc[matched["ligne"].to_numpy()] = matched["trouve"].to_numpy()
    return result


# --- dispositifs -------------------------------------------------------------------------------


def dispositifs(ctx: AuditContext) -> pd.DataFrame:
    """One row per dispositif line: its kind, the days the rules compare, and the verdicts of DSP-01…06."""
    kind = of_kinds(ctx, "dispositifs", "dispositif", KINDS)
    codes = pd.factorize(ctx.text("dispositifs", "id_jeune"))[0]  # youths as integers, -1 for none
    known = codes >= 0
    init, entree = ctx.column("dispositifs", "date_initialisation"), ctx.column("dispositifs", "date_entree")
    planned, sortie = ctx.column("dispositifs", "date_fin_prevue"), ctx.column("dispositifs", "date_sortie")
    open_ = ctx.text("dispositifs", "date_sortie").isna().to_numpy()  # empty: an unreadable date is no absence
    reference = ctx.reference
    frame = pd.DataFrame(index=ctx.table("dispositifs").data.index)
    frame["est_cer"], frame["ouvert"] = kind["cer"], open_

    # DSP-01: from the entry (else the initialisation) to the exit (else the date de référence).
    start = entree.where(entree.notna(), init)
    end = sortie.where(~open_, reference)
    judged = kind["diagnostic"] & start.notna().to_numpy() & end.notna().to_numpy()
    frame["diagnostic_trop_long"] = verdict(end > plus_months(start, DIAGNOSTIC_ALERTE_MOIS), judged)
    frame["debut_diagnostic"], frame["fin_diagnostic"] = start, end

    # DSP-02: a diagnostic starting before the PACEA, closed for PACEA less than a month before its entry.
    entered = kind["pacea"] & entree.notna().to_numpy() & known
    before = nearest(codes, entree, entered, start, kind["diagnostic"], "backward")  # latest one starting before
    closed = kind["diagnostic"] & of_kinds(ctx, "dispositifs", "motif_sortie", {"pacea": MOTIF_PACEA})["pacea"]
    last_end = nearest(codes, entree, entered, sortie, closed, "backward")
    late = entree > plus_months(last_end, ENTREE_PACEA_MOIS)
    frame["pacea_sans_diagnostic_a_temps"] = verdict(before.isna() | late, entered)  # entered: PACEA lines
    frame["sans_diagnostic"] = before.isna().to_numpy()
    frame["fin_diagnostic_pacea"] = last_end

    # DSP-03: a PACEA still open more than 24 months after its entry.
    overdue = reference > plus_months(entree, DUREE_PACEA_MOIS)
    frame["pacea_trop_long"] = verdict(overdue, kind["pacea"] & entree.notna().to_numpy() & open_)
    frame["entree"], frame["sortie"], frame["fin_prevue"] = entree, sortie, planned

    # DSP-04: a PACEA left on or after the entry into a CEJ of its youth that started after the PACEA's entry.
    cej_entry = nearest(codes, entree, kind["pacea"], entree, kind["cej"], "forward")
    judged = kind["pacea"] & entree.notna().to_numpy() & sortie.notna().to_numpy() & known
    frame["pacea_sortie_apres_cej"] = verdict(sortie >= cej_entry, judged)
    frame["entree_cej"] = cej_entry

    # DSP-05: a Convention B-RSA needs its CER, a CER its Convention B-RSA (dates do not matter).
    has_cer, has_brsa = with_youth(codes, kind["cer"]), with_youth(codes, kind["brsa"])
    safe = np.where(known, codes, 0)
    missing = (kind["brsa"] & ~has_cer[safe]) | (kind["cer"] & ~has_brsa[safe])
    frame["partenaire_rsa_absent"] = verdict(missing, (kind["brsa"] | kind["cer"]) & known)

    # DSP-06: a CER past its planned end and not closed.
    frame["cer_echu_non_clos"] = verdict(planned < reference, kind["cer"] & planned.notna().to_numpy() & open_)
    return frame


def dispositif_facts(rows: pd.DataFrame) -> pd.DataFrame:
    """What the messages of the flagged dispositif lines quote (dates in French, durations)."""
    rows = rows.copy()
    start, end = rows["debut_diagnostic"], rows["fin_diagnostic"]
    rows["gravite_diagnostic"] = np.where(end > plus_months(start, DIAGNOSTIC_ERREUR_MOIS), "erreur", "alerte")
    length = (end - start).dt.days.astype("Int64").astype("string") + " jours"  # over a month: several days
    still_open = "Diagnostic approfondi ouvert depuis " + length + " (entrée le " + fr_days(start) + ")"
    closed = "Diagnostic approfondi de " + length + " (du " + fr_days(start) + " au " + fr_days(end) + ")"
    rows["constat_diagnostic"] = still_open.where(rows["ouvert"].to_numpy(), closed)
    entry = "PACEA entré le " + fr_days(rows["entree"])
    late = (
        entry
        + ", plus d'un mois après la fin du diagnostic approfondi (clos le "
        + fr_days(rows["fin_diagnostic_pacea"])
        + " avec le motif PACEA)"
    )
    rows["constat_pacea"] = (entry + " sans diagnostic approfondi commencé avant").where(rows["sans_diagnostic"], late)
    rows["entree_pacea"] = fr_days(rows["entree"])
    rows["sortie_pacea"] = fr_days(rows["sortie"])
    rows["veille_cej"] = fr_days(rows["entree_cej"] - pd.Timedelta(days=1))
    rows["entree_cej"] = fr_days(rows["entree_cej"])
    rows["partenaire_rsa"] = np.where(rows["est_cer"], "Convention B-RSA", "CER")
    rows["fin_prevue_cer"] = fr_days(rows["fin_prevue"])
    return rows


# --- dossiers ----------------------------------------------------------------------------------


def youths(ctx: AuditContext, lines: pd.DataFrame | None) -> pd.DataFrame:
    """One row per dossier: open CER without recent event (CTC-01), a year without contact (CTC-02).

    ``lines`` is the :func:`dispositifs` frame (None without the table): its open CER lines.
    """
    frame = pd.DataFrame(index=ctx.table("jeunes").data.index)
    reference = ctx.reference
    followed = uncontacted = np.zeros(len(frame), dtype=bool)
    if lines is not None and ctx.has("evenements"):
        ids = ctx.text("jeunes", "id_jeune")
        events = ctx.column("evenements", "date")
        window_start = reference - pd.Timedelta(days=CONTACT_JOURS - 1)  # 30 days, the reference day included
        recent = ((events >= window_start) & (events <= reference)).fillna(False).to_numpy()
        followed = among(ids, open_cer_youths(ctx, lines))
        uncontacted = followed & ~among(ids, ctx.text("evenements", "id_jeune")[recent])
    frame["cer_sans_contact"] = verdict(uncontacted, followed)  # judged: dossiers with an open CER

    contact = ctx.column("jeunes", "date_dernier_contact")
    with_referent = ctx.text("jeunes", "conseiller_referent").notna().to_numpy()
    stale = contact < ctx.months_before(SANS_CONTACT_MOIS)
    frame["sans_contact_un_an"] = verdict(stale, with_referent & contact.notna().to_numpy())
    frame["dernier_contact_jour"] = contact
    return frame


def open_cer_youths(ctx: AuditContext, lines: pd.DataFrame) -> pd.Series:
    """Youths with a CER entered on or before the date de référence and not closed (no exit date)."""
    entered = (lines["entree"] <= ctx.reference).fillna(False).to_numpy()
    open_cer = lines["est_cer"].to_numpy(dtype=bool) & entered & lines["ouvert"].to_numpy(dtype=bool)
    return ctx.text("dispositifs", "id_jeune")[open_cer]


def youth_facts(ctx: AuditContext, rows: pd.DataFrame) -> pd.DataFrame:
    """What the messages of the flagged dossiers quote: last contact, last event up to the date de référence."""
    rows = rows.copy()
    rows["dernier_contact"] = fr_days(rows["dernier_contact_jour"])
    rows["dernier_evenement"] = pd.Series(pd.NA, index=rows.index, dtype="string")
    uncontacted = rows["cer_sans_contact"].to_numpy() == 1
    if uncontacted.any():
        flagged = rows.loc[uncontacted, "_id"]
        youth = ctx.text("evenements", "id_jeune")
        events = ctx.column("evenements", "date")
        theirs = among(youth, flagged) & (events <= ctx.reference).fillna(False).to_numpy()
        latest = events[theirs].groupby(youth[theirs].to_numpy()).max()
        last = pd.Series(latest.reindex(flagged.to_numpy()).to_numpy(), index=flagged.index)
        facts = ("dernier événement le " + fr_days(last)).fillna("aucun événement enregistré")
        rows.loc[uncontacted, "dernier_evenement"] = facts
    return rows


def resolve(ctx: AuditContext, target: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of a frame, with routing, the values as read and the facts their messages quote."""
    positions = ctx.table(target).data.index.get_indexer(rows.index)
    routing = ctx.routing(target, positions)
    rows = pd.concat([routing.set_axis(rows.index), rows], axis=1)
    for name in CHAMPS[target]:
        rows[f"valeur__{name}"] = ctx.as_read(target, name).iloc[positions].to_numpy()
    return dispositif_facts(rows) if target == "dispositifs" else youth_facts(ctx, rows)


THEME = Theme(
    id="dispositifs",
    titre="Dispositifs et contact",
    notebook="55_dispositifs.ipynb",
    tables=("jeunes",),
    derive=derive,
    resolve=resolve,
)
