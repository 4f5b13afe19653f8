"""Word lists the attribution rules rely on: cue verbs, cue nouns, pronouns, titles, outlets."""
from __future__ import annotations

__all__ = [
    "SPEECH_VERBS", "COGNITION_VERBS", "INTENT_VERBS", "CUE_VERBS", "OBJECT_VERBS", "PREP_VERBS", "CUE_NOUNS",
    "PRONOUN_GENDER", "TITLES", "GROUP_HEADS", "ROLE_WORDS", "is_cue_verb",
]

# Verbs that report speech or writing ("said", "told", "underscored").
SPEECH_VERBS = frozenset("""
say tell add ask write announce note describe suggest argue continue report claim state explain
declare recall mention point respond reply confirm insist stress emphasize emphasise underscore
highlight specify warn predict deny admit complain agree promise vow pledge threaten assert
maintain observe remark comment inform testify propose demand urge contend reveal indicate
acknowledge concede tweet post allege caution charge counter echo accuse criticize criticise
blame praise denounce dismiss reject question wonder repeat reiterate conclude estimate
advise recommend acknowledge boast brag joke quip muse lament predict assure reassure retort
shout yell cry whisper explain elaborate clarify describe characterize portray call label
suggest hint imply signal announce disclose concede grant cite quote summarize summarise
""".split())

# Verbs of cognition and stance that PolNeAR also annotates ("believes", "thinks", "knows").
COGNITION_VERBS = frozenset("""
think believe know feel fear worry hope expect suspect doubt realize realise understand
recognize recognise consider assume guess imagine wish learn find discover decide conclude
see show prove suggest indicate hop
""".split())  # "hop": the small model's lemma of "hoping"

# Verbs whose xcomp is an attributed intention ("refused to give", "vowed to fight").
INTENT_VERBS = frozenset("""
want refuse vow pledge promise threaten plan hope hop intend decline agree offer urge ask
demand call seek
""".split())

CUE_VERBS = SPEECH_VERBS | COGNITION_VERBS

# Verbs whose object is itself the attributed content ("accused Sanders of ...", "called it crazy").
OBJECT_VERBS = frozenset("""
call accuse criticize criticise praise describe endorse support defend cite announce propose
oppose deny blame dismiss reject back urge warn thank celebrate condemn question promise predict
tout applaud slam welcome demand recommend acknowledge admit mention reveal confirm want tweet
label characterize characterise dub brand compare ask express discuss attack blast mock issue
challenge favor favour remind list identify name prefer share show find
""".split())

# Verbs whose attributed content is the object of one preposition ("talked about the economy").
PREP_VERBS = {
    "talk": ("about",), "speak": ("about", "of"), "vote": ("for", "against"),
    "focus": ("on",), "push": ("for",), "call": ("for",), "argue": ("for", "against"),
    "complain": ("about",), "warn": ("about", "of", "against"), "worry": ("about",),
    "comment": ("on",), "write": ("about",), "testify": ("about",), "campaign": ("for", "against"),
    "advocate": ("for",), "rail": ("against",), "lash": ("out",), "point": ("to",), "insist": ("on",),
    "joke": ("about",), "boast": ("about",), "brag": ("about",), "apologize": ("for",),
    "apologise": ("for",), "criticize": ("for",), "praise": ("for",), "blame": ("for",),
}

# Nouns whose "that"-clause or quote is attributed ("the claim that", "in a statement").
CUE_NOUNS = frozenset("""
statement claim claims assertion remarks remark comment comments interview speech tweet
argument belief view warning promise pledge accusation allegation allegations suggestion
""".split())

PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "they": None, "them": None, "their": None, "i": None, "we": None, "it": None,
}

TITLES = frozenset("""
mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. prof prof. president senator
governor representative minister secretary chairman chairwoman
""".split())

# Heads that make a speaker a group or an institution rather than a person.
GROUP_HEADS = frozenset("""
media sources organizations organisations officials groups people residents experts analysts
critics supporters voters democrats republicans government administration department ministry
campaign party committee agency agencies office police army forces military council court
congress senate house parliament commission newspaper paper network report reports poll polls
survey study analysis statement group team staff aides advisers advisors members activists
observers authorities leaders diplomats americans
""".split())

# Words that, before or after a name, say what a person is ("journalist", "Foreign Minister").
ROLE_WORDS = frozenset("""
journalist reporter correspondent editor writer columnist analyst expert head chief director
president minister secretary spokesman spokeswoman spokesperson senator governor mayor
ambassador envoy candidate nominee chairman chairwoman chair founder leader commander general
officer official adviser advisor aide lawyer attorney professor researcher activist
representative congressman congresswoman member manager ceo strategist pollster
""".split())



def is_cue_verb(lemma: str) -> bool:
    """Whether a verb lemma can introduce attributed content.

    >>> is_cue_verb("underscore"), is_cue_verb("eat")
    (True, False)
    """
    return lemma.lower() in CUE_VERBS
