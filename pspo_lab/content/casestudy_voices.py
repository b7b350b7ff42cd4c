"""What FreshCrate's customers said, did, thought and felt: notes from customer research.

Each note comes from an interview, a survey answer, a support contact or an observed
session, belongs to one customer group of ``stakeholders.csv`` (S01 weekly subscribers, S02
occasional buyers), sits in one quadrant of an empathy map and points to one element of value.

The elements are those of Bain & Company's "Elements of Value" pyramid (Almquist, Senior and
Bloch, Harvard Business Review, September 2016): thirty things a product can do for a
consumer, in four levels from functional at the base to social impact at the top. Only the
element names are theirs; the notes are written for the course and are fictional.

>>> customer_voices()["level"].value_counts().to_dict()
{'functional': 11, 'emotional': 5, 'life changing': 3, 'social impact': 1}
"""

from __future__ import annotations

import pandas as pd

from pspo_lab.core.tables import Column, Schema

VALUE_LEVELS: dict[str, tuple[str, ...]] = {
    "functional": ("saves time", "simplifies", "makes money", "reduces risk", "organizes",
                   "integrates", "connects", "reduces effort", "avoids hassles",
                   "reduces cost", "quality", "variety", "sensory appeal", "informs"),
    "emotional": ("reduces anxiety", "rewards me", "nostalgia", "design/aesthetics",
                  "badge value", "wellness", "therapeutic value", "fun/entertainment",
                  "attractiveness", "provides access"),
    "life changing": ("provides hope", "self-actualization", "motivation", "heirloom",
                      "affiliation/belonging"),
    "social impact": ("self-transcendence",),
}
"""The levels of the Elements of Value pyramid, base first, with the names of their elements."""

EMPATHY_QUADRANTS = ("says", "thinks", "does", "feels")
"""The four quadrants of an empathy map."""

SCHEMA = Schema(
    name="customer_voices",
    description="One row per note from customer research: what a customer said, thought, did "
                "or felt, and the element of value it points to.",
    columns=(
        Column("id", "str", "Note identifier", unique=True),
        Column("stakeholder", "str", "Customer group (an id of stakeholders.csv)"),
        Column("source", "category", "Where the note comes from",
               choices=("interview", "survey", "support", "observation")),
        Column("note", "str", "The quotation or the researcher's note"),
        Column("empathy", "category", "Empathy-map quadrant", choices=EMPATHY_QUADRANTS),
        Column("element", "category", "Element of value it points to",
               choices=tuple(e for level in VALUE_LEVELS.values() for e in level)),
        Column("level", "category", "Level of that element in the pyramid",
               choices=tuple(VALUE_LEVELS)),
        Column("pain", "category", "Whether the note reports a value the customer misses",
               choices=("yes", "no")),
    ),
)

_NOTES = (
    ("S01", "interview", "\"Planning dinners for the week used to take my whole Sunday "
     "evening.\"", "says", "saves time", "no"),
    ("S01", "interview", "Relieved not to face the six o'clock 'what's for dinner?' question "
     "every day.", "feels", "reduces anxiety", "no"),
    ("S01", "survey", "\"The kids ask to cook the Friday recipe with me.\"", "says",
     "fun/entertainment", "no"),
    ("S01", "interview", "Wants the family to sit down to a proper meal together more often.",
     "thinks", "affiliation/belonging", "no"),
    ("S01", "observation", "Buys almost nothing extra at the supermarket in weeks with a box.",
     "does", "avoids hassles", "no"),
    ("S01", "survey", "\"Portions are exact, so we hardly throw food away any more.\"", "says",
     "reduces cost", "no"),
    ("S01", "interview", "Proud when a dish they had never cooked before turns out well.",
     "feels", "self-actualization", "no"),
    ("S01", "survey", "\"The nutrition labels help me keep my diet on track.\"", "says",
     "wellness", "no"),
    ("S01", "observation", "Swaps two or three recipes every week before the order closes.",
     "does", "variety", "no"),
    ("S01", "interview", "Cooking from scratch again after years of ready meals feels like a "
     "fresh start.", "thinks", "motivation", "no"),
    ("S01", "support", "Calls customer care when no delivery slot fits the week.", "does",
     "avoids hassles", "yes"),
    ("S01", "survey", "\"The vegetables taste better than the ones from our shop.\"", "says",
     "sensory appeal", "no"),
    ("S02", "survey", "Cares that the food comes from local farms and little is wasted, "
     "beyond the price.", "thinks", "self-transcendence", "no"),
    ("S02", "interview", "\"I order when I want to try something new, not every week.\"",
     "says", "variety", "no"),
    ("S02", "interview", "Wonders whether a box is worth its price next to the supermarket.",
     "thinks", "reduces cost", "yes"),
    ("S02", "support", "Cancelled after a box arrived without one of its ingredients.", "does",
     "quality", "yes"),
    ("S02", "interview", "Worried about allergens when guests come for dinner.", "feels",
     "reduces risk", "yes"),
    ("S02", "interview", "\"The recipe cards look great; I keep them in a folder.\"", "says",
     "design/aesthetics", "no"),
    ("S02", "survey", "Treats a box as a small reward after a hard week.", "feels",
     "rewards me", "no"),
    ("S02", "observation", "Browses recipes in the app for ten minutes and leaves without "
     "ordering.", "does", "simplifies", "yes"),
)

_LEVEL_OF = {element: level for level, elements in VALUE_LEVELS.items()
             for element in elements}


def customer_voices() -> pd.DataFrame:
    """The fixed notes of FreshCrate's customer research (the same for every seed).

    Examples
    --------
    >>> voices = customer_voices()
    >>> voices.loc[0, ["id", "empathy", "element", "level"]].tolist()
    ['V01', 'says', 'saves time', 'functional']
    """
    frame = pd.DataFrame(_NOTES, columns=["stakeholder", "source", "note", "empathy",
                                          "element", "pain"])
    frame.insert(0, "id", [f"V{i + 1:02d}" for i in range(len(frame))])
    frame["level"] = frame["element"].map(_LEVEL_OF)
    return frame[SCHEMA.names]
