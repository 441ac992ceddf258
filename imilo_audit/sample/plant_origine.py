"""Origin of arrival: ORI-02 (missing) and the groups of ORI-01 (computed in oracle.py).

Planted over the threshold: one counsellor of a large site, and the small site's only counsellor
(so the site is over too). Look-alikes: a counsellor with a high share but fewer than
``effectif_minimum`` new youths, a counsellor exactly at the threshold (not "over"), an inactive
dossier without origin. The whole export stays under the threshold. Runs last: it reads the
final referents.
"""

from __future__ import annotations

import math
from collections import defaultdict

from . import vocabulary as voc
from .model import Row, Sample
from .oracle import is_demarche, ori_groups
from .people import display, set_referent, user


def plant(s: Sample) -> None:
    for _ in range(s.count(4)):  # ORI-02
        y = s.take("actif", "jeunes")
        y["origine_venue"] = ""
        s.expect("ORI-02", "jeunes", y)
    y = s.take("inactif", "jeunes")
    y["origine_venue"] = ""
    s.lookalike("Dossier inactif sans origine", "jeunes", y["id_jeune"], ("ORI-02",))

    def outside_small_site(r: Row) -> bool:
        return r["lieu_rattachement"] != voc.SMALL_SITE

    def on_last_site(r: Row) -> bool:
        return r["lieu_rattachement"] == s.sites[-1]

    def new_counsellor(nouveaux: int, anciens: int) -> Row:
        """A counsellor of the last site (not the over counsellor's), with a small portfolio."""
        row = user(s, s.names, voc.FONCTION_CONSEILLER, "Conseiller")
        row.update(_style="prenom nom", _site=s.sites[-1])
        s.users.append(row)
        for kind, n in (("nouveau", nouveaux), ("ancien", anciens)):
            for _ in range(n):
                set_referent(s.take(kind, "referent", where=on_last_site), row)
        return row

    small = new_counsellor(6, 2)  # too few new youths to be a group
    exact = new_counsellor(12, 1)  # exactly 3 / 12 = 0.25: not over the threshold
    set_share(s, small, 3)
    set_share(s, exact, 3, exact=True)
    s.lookalike(
        "Conseiller à 3 « Démarche personnelle » sur 6 nouveaux inscrits",
        "jeunes",
        display(small),
        ("ORI-01",),
        column="conseiller",
    )
    s.lookalike(
        "Conseiller à 3 « Démarche personnelle » sur 12 nouveaux inscrits (0.25)",
        "jeunes",
        display(exact),
        ("ORI-01",),
        column="conseiller",
    )

    alone = next(c for c in s.counsellors if c["_site"] == voc.SMALL_SITE)
    missing = 12 - len(members(s, alone))
    for _ in range(max(0, missing)):
        y = s.take("nouveau", "referent", where=outside_small_site)
        set_referent(y, alone)
        y["lieu_rattachement"] = voc.SMALL_SITE

    news = News(s)
    # the counsellor over the threshold: one who weighs little in the new youths of their site
    candidates = [c for c in s.counsellors if c["_site"] not in (voc.SMALL_SITE, s.sites[-1])]
    regular = [c for c in candidates if len(news.of(c)) >= 15] or candidates
    over = min(regular, key=lambda c: (len(news.of(c)) / len(news.by_lieu[c["_site"]]), c["login"]))
    set_share(s, over, math.ceil(0.3 * len(news.of(over))), news)
    set_share(s, alone, math.ceil(0.3 * len(news.of(alone))), news)
    planted = {display(c) for c in (small, exact, alone, over)}
    balance(s, news, planted)
    untie(s, news)


class News:
    """New youths (registered in the last 12 months) by referent and by site, as written."""

    def __init__(self, s: Sample) -> None:
        self.by_referent: dict[str, list[Row]] = defaultdict(list)
        self.by_lieu: dict[str, list[Row]] = defaultdict(list)
        self.all: list[Row] = []
        for y in s.youths:
            if y["_nouveau"]:
                self.all.append(y)
                self.by_referent[y["conseiller_referent"].strip()].append(y)
                self.by_lieu[y["lieu_rattachement"].strip()].append(y)

    def of(self, counsellor: Row) -> list[Row]:
        return self.by_referent.get(display(counsellor), [])

    def group(self, conseiller: str, lieu: str) -> list[Row]:
        if conseiller:
            return self.by_referent.get(conseiller, [])
        if lieu:
            return self.by_lieu.get(lieu, [])
        return self.all


def members(s: Sample, counsellor: Row) -> list[Row]:
    """New youths whose referent is this counsellor (a scan: for the few early uses)."""
    name = display(counsellor)
    return [y for y in s.youths if y["_nouveau"] and y["conseiller_referent"].strip() == name]


def set_share(s: Sample, counsellor: Row, target: int, news: News | None = None, exact: bool = False) -> None:
    """Make ``target`` of the counsellor's new youths « Démarche personnelle » (never an empty origin)."""
    group = news.of(counsellor) if news else members(s, counsellor)
    current = [y for y in group if is_demarche(y)]
    others = [y for y in group if not is_demarche(y) and y["origine_venue"]]
    for y in others[: max(0, target - len(current))]:
        y["origine_venue"] = s.rng.choice(voc.DEMARCHE_PERSONNELLE)
    if exact:
        for y in current[target:]:
            y["origine_venue"] = voc.ORIGINES[0][0]
        assert sum(is_demarche(y) for y in group) == target, counsellor["login"]


def balance(s: Sample, news: News, planted: set[str]) -> None:
    """Keep every other group (the whole export, the sites, the other counsellors) clearly under
    the threshold, whatever the size: fewer « Démarche personnelle » outside the planted groups."""
    limit = s.thresholds.seuil_demarche_personnelle - 0.04
    for _ in range(20):
        over = [
            g for g in ori_groups(s) if g.share > limit and g.conseiller not in planted and g.lieu != voc.SMALL_SITE
        ]
        if not over:
            return
        for group in over:
            spare = [
                y
                for y in news.group(group.conseiller, group.lieu)
                if is_demarche(y)
                and y["conseiller_referent"].strip() not in planted
                and y["lieu_rattachement"] != voc.SMALL_SITE
            ]
            for y in spare[: group.demarche - math.floor(limit * group.effectif)]:
                y["origine_venue"] = voc.ORIGINES[0][0]


def untie(s: Sample, news: News) -> None:
    """No group over the threshold may have a share halfway between two hundredths (0.375):
    « 2 décimales » must not depend on the rounding rule. One more « Démarche personnelle »."""
    for _ in range(100):
        ties = [g for g in ori_groups(s) if g.flagged(s.thresholds) and g.tie]
        if not ties:
            break
        group = ties[0]
        candidate = next(
            y for y in news.group(group.conseiller, group.lieu) if not is_demarche(y) and y["origine_venue"]
        )
        candidate["origine_venue"] = s.rng.choice(voc.DEMARCHE_PERSONNELLE)
    whole = next(g for g in ori_groups(s) if not g.conseiller and not g.lieu)
    assert whole.share <= s.thresholds.seuil_demarche_personnelle, f"part trop forte : {whole.share}"
