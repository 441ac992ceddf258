"""What the shared pages may show of a finding (outputs.md, "What the shared pages show").

``index.html`` and the theme pages travel (directors, partners, a whole team): they name a dossier
by its identifier and its counsellor, never by a youth's or a colleague's email, phone number, NIR,
birth date, age or street address. Those stay in findings.csv and the counsellor's own workbook.
"""

from __future__ import annotations

import pandas as pd

# Fields whose value is personal: shown nowhere on shared pages, whatever the rule.
PERSONAL_FIELDS = frozenset(
    {
        "email",
        "telephone_portable",
        "telephone_fixe",
        "nir",
        "date_naissance",
        "adresse_numero",
        "adresse_voie",
        "adresse_complement",
    }
)
MASKED = "(masqué)"


def shared_messages(text: pd.DataFrame) -> tuple[pd.Series, list[bool]]:
    """Each finding's message for shared outputs, and whether it is its rule's own shared wording.

    ``text``: the findings as text (``""`` for a missing value). A rule's shared wording
    (``message_partage``, when other than its message) is written for every reader and quotes no
    value: it is never masked. Without one, the message itself is shown, and masked where it quotes.
    """
    if "message_partage" not in text.columns:
        return text["message"], [False] * len(text)
    wording = text["message_partage"]
    return wording.where(wording != "", text["message"]), ((wording != "") & (wording != text["message"])).tolist()


def shareable(findings: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for shared pages: no personal value, and each message in its shared wording.

    A rule whose message quotes a personal value gives its shared wording in its suite's meta
    (``message_partage``), written for every reader: it is kept whole (ADR-03's « signale un SDF »
    names the convention, not the youth's value). Any other message that quotes the value has it
    replaced by « (masqué) ».
    """
    frame = findings.copy()
    if frame.empty:
        return frame
    text = frame.astype("string").fillna("")
    personal = text["champ"].isin(PERSONAL_FIELDS).to_numpy()
    shown, worded = shared_messages(text)
    messages = shown.tolist()
    values = text["valeur"].tolist()
    frame["message"] = [
        message.replace(value, MASKED) if hidden and not shared and value and value in message else message
        for message, value, hidden, shared in zip(messages, values, personal, worded, strict=True)
    ]
    frame["valeur"] = text["valeur"].where(~personal, "")
    return frame
