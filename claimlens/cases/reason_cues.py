"""Words with which a buyer says a return is their own doing, in seven languages.

Four kinds: `changed_mind` (no longer needed or wanted, bought elsewhere), `mistake` (ordered by
mistake, the wrong size, twice), `cheaper` (a better price elsewhere) and `works` (the item
works, has no defect). The patterns are deliberately narrow: a cue is a whole phrase a buyer
writes ("changed my mind", "买错了", "versehentlich bestellt"), never a lone word, and a
"works" phrase is not matched after a negation ("doesn't work fine", "non funziona bene").
They find words; what the words mean for a reason code is reason_check.py's business.
"""
from __future__ import annotations

import re
from typing import NamedTuple

KINDS = ("changed_mind", "mistake", "cheaper", "works")
DESCRIPTIONS = {"changed_mind": "the buyer no longer wants or needs the item",
                "mistake": "the buyer ordered by mistake",
                "cheaper": "the buyer found a better price",
                "works": "the buyer says the item works"}

_EN = {
    "changed_mind": [r"chang(?:ed|e|ing) (?:my|our) minds?", r"no longer (?:need|want)(?:ed)?",
                     r"(?:do not|don'?t|did not|didn'?t) (?:need|want) (?:it|this|them|these) any ?more",
                     r"not needed any ?more", r"(?:bought|got|found) (?:it|one|them) (?:elsewhere|somewhere else)"],
    "mistake": [r"(?:ordered|bought|purchased) (?:it |this |them )?(?:by mistake|by accident|accidentally)",
                r"(?:accidentally|mistakenly) (?:ordered|bought|purchased)",
                r"ordered (?:the )?wrong (?:size|one|item|model|colou?r|version)", r"duplicate order",
                r"(?:ordered|bought) (?:it |this )?twice"],
    "cheaper": [r"(?:found|saw|seen) (?:it |one |them )?(?:cheaper|for less|at a (?:lower|better) price)",
                r"cheaper (?:elsewhere|somewhere else|on|at|in)", r"better price", r"price (?:dropped|went down)"],
    "works": [r"(?<!not )(?<!n't )(?:works|working|worked) (?:fine|perfectly|well|great|as expected)",
              r"nothing (?:is )?wrong with (?:it|the item|the product|them)", r"(?:in )?perfect(?:ly)? (?:condition|working order)"],
}
_ZH = {
    "changed_mind": [r"不想要了", r"不需要了", r"用不上了", r"用不到了", r"改变主意", r"改主意", r"已经(?:在别处)?买了别的",
                     r"在别(?:处|家)买了"],
    "mistake": [r"买错了", r"拍错了", r"下错单", r"下单(?:下)?错了", r"误购", r"误拍", r"重复下单", r"多拍了",
                r"(?:尺码|尺寸|型号|颜色)(?:选|拍|买)错"],
    "cheaper": [r"别(?:家|处|的地方)更便宜", r"其他(?:地方|店|平台)更便宜", r"买贵了", r"降价了"],
    "works": [r"(?<!不)(?<!无法)(?<!不能)正常使用", r"(?<!不)能用[，,]?没(?:有)?(?:什么)?问题",
              r"没有(?:任何|什么)?(?:质量)?问题", r"完好无损", r"功能(?:一切)?正常"],
}
_DE = {
    "changed_mind": [r"nicht mehr (?:benötigt|gebraucht|gewollt|gewünscht)",
                     r"brauche (?:es|ihn|sie|das|den|die)?\s?(?:\w+ )?nicht mehr", r"(?:meine )?Meinung geändert",
                     r"(?:anders|um)entschieden", r"(?:woanders|anderweitig) gekauft"],
    "mistake": [r"(?:versehentlich|aus Versehen|irrtümlich|fälschlicherweise) (?:bestellt|gekauft)",
                r"falsch(?:e Größe)? bestellt", r"doppelt bestellt", r"Fehlbestellung"],
    "cheaper": [r"(?:woanders|anderswo|anderweitig) (?:günstiger|billiger)", r"(?:günstiger|billiger) gefunden",
                r"besseren Preis"],
    "works": [r"funktioniert (?:alles )?(?:einwandfrei|tadellos|problemlos|perfekt|super|gut)",
              r"kein(?:en)? (?:Defekt|Mangel|Fehler)", r"einwandfreie[mn]? Zustand"],
}
_FR = {
    "changed_mind": [r"plus besoin", r"chang(?:é|er) d'avis",
                     r"ne (?:le|la|les) veux plus", r"achet(?:é|ée|és) ailleurs"],
    "mistake": [r"command(?:é|ée|és|e) par erreur", r"erreur de commande", r"command(?:é|ée) (?:en )?double",
                r"achet(?:é|ée) par erreur", r"mauvaise taille"],
    "cheaper": [r"moins cher ailleurs", r"trouv(?:é|ée) moins cher", r"meilleur prix"],
    "works": [r"(?<!ne )(?:fonctionne|marche) (?:très )?(?:bien|parfaitement|correctement)", r"aucun défaut",
              r"en parfait état"],
}
_ES = {
    "changed_mind": [r"ya no (?:lo |la |los |las )?(?:necesito|quiero)", r"cambi(?:é|o) de opini[oó]n",
                     r"me arrepent[íi]", r"(?:lo |la )?compr[ée] en otro (?:sitio|lugar|lado)"],
    "mistake": [r"(?:ped[íi]|compr[ée]) (?:por error|por equivocaci[oó]n)", r"pedido (?:por error|duplicado)",
                r"lo ped[íi] dos veces", r"talla equivocada"],
    "cheaper": [r"m[aá]s barato en otr[oa]", r"encontr[ée] (?:uno |otro )?m[aá]s barato", r"mejor precio"],
    "works": [r"(?<!no )funciona (?:bien|perfectamente|correctamente)", r"(?:no tiene|sin) ningún defecto",
              r"en perfecto estado"],
}
_IT = {
    "changed_mind": [r"non (?:mi )?serve più", r"non (?:lo|la|li|le) voglio più", r"cambiato idea",
                     r"comprat[oa] altrove"],
    "mistake": [r"(?:ordinat[oa]|acquistat[oa]|comprat[oa]) per (?:errore|sbaglio)", r"ordine doppio",
                r"ordinat[oa] due volte", r"taglia sbagliata"],
    "cheaper": [r"(?:più economico|costa meno|a meno) altrove", r"trovat[oa] (?:a meno|più economico)",
                r"prezzo migliore"],
    "works": [r"(?<!non )funziona (?:bene|perfettamente|correttamente)", r"nessun difetto",
              r"perfettamente funzionante", r"in perfette condizioni"],
}
_JA = {
    "changed_mind": [r"不要にな(?:った|りました)", r"必要(?:が)?なくな(?:った|りました)", r"いらなくな(?:った|りました)",
                     r"気が変わ(?:った|りました)", r"他(?:店|の店|で)で?購入"],
    "mistake": [r"間違えて(?:注文|購入)", r"誤って(?:注文|購入)", r"注文ミス", r"誤注文", r"二重注文",
                r"重複して注文", r"サイズを間違え"],
    "cheaper": [r"他(?:店|の店|で)の方が安", r"(?:より|もっと)安(?:い|く)(?:売って|買え)", r"値下が"],
    "works": [r"正常に動作(?!し(?:な|ませ)|せず|してい(?:な|ませ))", r"問題なく(?:動作|使え|動き|使用)", r"特に問題(?:は)?(?:ありません|ない)",
              r"不具合(?:は)?(?:ありません|ない|なし)"],
}

PATTERNS = {lang: {kind: re.compile("|".join(f"(?:{p})" for p in table[kind]), re.IGNORECASE) for kind in KINDS}
            for lang, table in (("en", _EN), ("zh", _ZH), ("de", _DE), ("fr", _FR), ("es", _ES), ("it", _IT),
                                ("ja", _JA))}


class Cue(NamedTuple):
    kind: str
    start: int
    end: int
    text: str


def cues(text: str) -> list[Cue]:
    """Every cue in the text, in any of the seven languages (buyers mix them), in text order."""
    found = []
    for table in PATTERNS.values():
        for kind, pattern in table.items():
            found += [Cue(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    return sorted(set(found), key=lambda c: (c.start, -c.end))
