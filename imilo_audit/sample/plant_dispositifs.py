"""Dispositifs and contact: DSP-01…06, CTC-01 (computed in oracle.py from the planted CERs and
events), CTC-02.

Look-alikes: a diagnostic of 25 days, a PACEA closed the day before the CEJ, a PACEA open for 23
months, a CER only initialised (no entry: not open) without recent events, a closed CER without
recent events, inactive dossiers without referent.
"""

from __future__ import annotations

import datetime as dt

from . import vocabulary as voc
from .dates import add_months, days
from .model import Row, Sample
from .people import display, set_contact
from .records import clean_events, diagnostic, dispositif, event


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference

    def ago(n: int) -> dt.date:
        return days(ref, -n)

    def put(y: Row, rows: list[Row]) -> list[Row]:
        s.dispositifs[y["_index"]] = rows
        return rows

    def contact(y: Row, day: dt.date, future: dt.date | None = None) -> None:
        """Move the last contact and rebuild the youth's events up to it."""
        set_contact(y, day)
        s.evenements[y["_index"]] = clean_events(s, y)
        if future is not None:
            s.evenements[y["_index"]].append(event(s, y, future, "Entretien individuel"))

    def youth(kind: str = "actif") -> Row:
        return s.take(kind, "dispositifs", "evenements", where=lambda r: r["_inscription"] < ago(420),
                      stable="inscrit depuis 420 jours")

    def pacea(y: Row, entree: dt.date, sortie: dt.date | None = None, motif: str = "") -> Row:
        return dispositif(s, y, voc.PACEA, entree, entree, add_months(entree, 12), sortie, motif)

    def rsa(y: Row) -> None:
        y["rsa"] = "Bénéficiaire"

    for _ in range(s.mult):  # DSP-01: (duration from, to, followed by a PACEA, severity)
        y = youth()
        start = ago(200)
        diag = diagnostic(s, y, start, days(start, 45), voc.PACEA)
        put(y, [diag, pacea(y, days(start, 55))])
        s.expect("DSP-01", "dispositifs", diag, gravite="alerte")

        y = youth()
        start = ago(300)
        diag = diagnostic(s, y, start, days(start, 150), "Orientation vers un autre accompagnement")
        put(y, [diag])
        s.expect("DSP-01", "dispositifs", diag, gravite="erreur")

        y = youth()
        diag = put(y, [diagnostic(s, y, ago(50), None, "")])[0]
        s.expect("DSP-01", "dispositifs", diag, gravite="alerte")

        y = youth()
        init = ago(150)
        diag = dispositif(
            s,
            y,
            voc.DIAGNOSTIC,
            init,
            None,
            add_months(init, 1),
            days(init, 70),
            "Orientation vers un autre accompagnement",
        )
        put(y, [diag])
        s.expect("DSP-01", "dispositifs", diag, gravite="alerte")

        y = youth()
        diag = put(y, [diagnostic(s, y, ago(125), None, "")])[0]
        s.expect("DSP-01", "dispositifs", diag, gravite="erreur")

    for _ in range(s.mult):  # DSP-02
        y = youth()
        end = ago(285)
        late = pacea(y, add_months(end, 3))
        put(y, [diagnostic(s, y, ago(300), end, voc.PACEA), late])
        s.expect("DSP-02", "dispositifs", late)

        y = youth()
        alone = put(y, [pacea(y, ago(100))])[0]
        s.expect("DSP-02", "dispositifs", alone)

    for _ in range(s.count(2)):  # DSP-03: PACEA open for more than 24 months
        y = youth()
        start = add_months(ref, -27)
        old = pacea(y, days(start, 20))
        put(y, [diagnostic(s, y, start, days(start, 12), voc.PACEA), old])
        s.expect("DSP-03", "dispositifs", old)

    for k in range(s.count(2)):  # DSP-04: PACEA closed on or after the CEJ's entry
        y = youth()
        cej = ago(100 + 20 * (k % 5))
        exit_day = cej if k % 2 == 0 else days(cej, 15)
        start = ago(420)
        closed = pacea(y, days(start, 18), exit_day, "Entrée en CEJ")
        put(
            y,
            [
                diagnostic(s, y, start, days(start, 10), voc.PACEA),
                closed,
                dispositif(s, y, voc.CEJ, days(cej, -5), cej, add_months(cej, 12)),
            ],
        )
        s.expect("DSP-04", "dispositifs", closed)

    for _ in range(s.mult):  # DSP-05: a B-RSA without CER, a CER without B-RSA
        y = youth()
        rsa(y)
        lone = put(y, [dispositif(s, y, voc.BRSA, ago(100), ago(100))])[0]
        s.expect("DSP-05", "dispositifs", lone)

        y = youth()
        rsa(y)
        cer = put(y, [dispositif(s, y, voc.CER, ago(70), ago(60), add_months(ago(60), 6))])[0]
        contact(y, ago(rng.randint(2, 20)))
        s.expect("DSP-05", "dispositifs", cer)

    for _ in range(s.count(2)):  # DSP-06: CER past its planned end, still open
        y = youth()
        rsa(y)
        entree = ago(220)
        cer = dispositif(s, y, voc.CER, days(entree, -10), entree, add_months(entree, 6))
        put(y, [dispositif(s, y, voc.BRSA, ago(240), ago(240)), cer])
        contact(y, ago(rng.randint(2, 20)))
        s.expect("DSP-06", "dispositifs", cer)

    for k in range(s.count(2)):  # CTC-01 (computed): open CER, no event in the last 30 days
        y = youth()
        rsa(y)
        entree = ago(90)
        put(
            y,
            [
                dispositif(s, y, voc.BRSA, ago(120), ago(120)),
                dispositif(s, y, voc.CER, days(entree, -7), entree, add_months(entree, 6)),
            ],
        )
        if k % 2 == 0:
            contact(y, ago(45))
        else:  # only a future appointment in the window: not a contact yet
            contact(y, ago(50), future=days(ref, 5))

    for _ in range(s.count(4)):  # CTC-02: inactive dossier still in a counsellor's portfolio
        y = s.take("inactif", "jeunes", "referent")
        counsellor = rng.choice([c for c in s.counsellors if c["_site"] != voc.SMALL_SITE])
        y["_counsellor"] = counsellor
        y["conseiller_referent"] = display(counsellor)
        s.expect("CTC-02", "jeunes", y)

    # --- look-alikes -------------------------------------------------------------------------
    y = youth()
    start = ago(160)
    diag = diagnostic(s, y, start, days(start, 25), voc.PACEA)
    put(y, [diag, pacea(y, days(start, 40))])
    s.lookalike("Diagnostic approfondi de 25 jours", "dispositifs", diag["id_dispositif"], ("DSP-01",))

    y = youth()
    cej, start = ago(80), ago(400)
    closed = pacea(y, days(start, 15), days(cej, -1), "Entrée en CEJ")
    put(
        y,
        [
            diagnostic(s, y, start, days(start, 9), voc.PACEA),
            closed,
            dispositif(s, y, voc.CEJ, days(cej, -3), cej, add_months(cej, 12)),
        ],
    )
    s.lookalike("PACEA clos la veille de l'entrée en CEJ", "dispositifs", closed["id_dispositif"], ("DSP-02", "DSP-04"))

    y = youth()
    start = days(add_months(ref, -23), -15)
    open_pacea = pacea(y, days(start, 15))
    put(y, [diagnostic(s, y, start, days(start, 10), voc.PACEA), open_pacea])
    s.lookalike("PACEA ouvert depuis 23 mois", "dispositifs", open_pacea["id_dispositif"], ("DSP-02", "DSP-03"))

    y = youth()
    rsa(y)
    initialised = dispositif(s, y, voc.CER, ago(80), None)
    put(y, [dispositif(s, y, voc.BRSA, ago(90), ago(90)), initialised])
    contact(y, ago(60))
    s.lookalike(
        "CER seulement initialisé, sans événement récent",
        "dispositifs",
        initialised["id_dispositif"],
        ("DSP-05", "DSP-06"),
    )
    s.lookalike("Jeune au CER seulement initialisé (pas de CTC-01)", "jeunes", y["id_jeune"], ("CTC-01",))

    y = youth()
    cer_start = ago(400)
    put(
        y,
        [
            dispositif(s, y, voc.BRSA, days(cer_start, -20), days(cer_start, -20), None, ago(150), "Fin de droits RSA"),
            dispositif(s, y, voc.CER, days(cer_start, -5), cer_start, add_months(cer_start, 6), ago(150), "Fin de CER"),
        ],
    )
    contact(y, ago(100))
    s.lookalike("CER clos, sans événement récent (pas de CTC-01)", "jeunes", y["id_jeune"], ("CTC-01",))
