"""What FreshCrate's Product Backlog items say: a description, the problem, acceptance criteria.

A case-study title is a verb and a step of the customer's journey ("Simplify checkout"). The
texts behind it were written for this course, in two parts that are put together per item:

* :data:`STEP_FACTS`: for each step, who meets it, what they want to get done, what goes
  wrong today and two acceptance criteria that hold whatever the change;
* :data:`VERB_TEXTS`: for each verb, how the description and the problem are phrased and one
  acceptance criterion that says what this kind of change must show.

No random draws are used, so adding the texts changed no other number of the case study.

>>> description, problem, criteria = item_texts("Simplify checkout")
>>> description[:60]
'Take steps out of checkout so that an occasional buyer can p'
>>> criteria.split("; ")[0]
'An occasional buyer can pay for a box in one go with at most three taps or clicks'
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from pspo_lab.core.errors import DataError

CRITERIA_SEPARATOR = "; "
"""How the acceptance criteria of one item are joined in the ``acceptance_criteria`` cell."""


class StepFacts(NamedTuple):
    """What is true of one step of the customer's journey, whatever the change."""

    user: str
    """Who meets the step, singular without article: ``"weekly subscriber"``."""
    thing: str
    """The step as a noun phrase inside a sentence: ``"the recipe search"``."""
    goal: str
    """What the user wants to get done, as a bare infinitive: ``"find a recipe ..."``."""
    pain: str
    """What goes wrong today, one clause starting with a capital letter."""
    criteria: tuple[str, str]
    """Two acceptance criteria that any change to the step must keep true."""


STEP_FACTS: dict[str, StepFacts] = {
    "recipe search": StepFacts(
        "weekly subscriber", "the recipe search", "find a recipe for tonight that fits "
        "their diet", "Searching for 'vegetarian' still lists recipes with fish sauce, and "
        "a typo finds nothing",
        ("Searching 'vegetarian' returns no recipe that contains meat or fish",
         "A search with one mistyped letter still finds the recipe")),
    "weekly menu": StepFacts(
        "weekly subscriber", "the weekly menu", "choose the week's dinners in under five "
        "minutes", "The weekly menu shows 40 recipes on one long page, and families scroll "
        "for ages before choosing",
        ("The menu opens filtered to the household's saved diet",
         "Choosing four dinners takes at most eight taps from the menu's first screen")),
    "checkout": StepFacts(
        "occasional buyer", "checkout", "pay for a box in one go",
        "One in five checkouts is abandoned at the address step",
        ("A returning customer finds their address and payment method filled in",
         "An error in the address form names the field and keeps everything else typed")),
    "delivery slots": StepFacts(
        "weekly subscriber", "the delivery slot picker", "get the box when someone is at "
        "home", "Evening slots sell out by Tuesday, and shift workers miss their boxes",
        ("Slots from 6 am to 10 pm are offered wherever the couriers drive",
         "A full slot is shown greyed out with the next free slot beside it")),
    "payment retry": StepFacts(
        "weekly subscriber", "the payment retry", "keep their subscription when a card "
        "payment fails", "A failed card payment cancels the next box without warning",
        ("A failed payment is retried twice within 48 hours before the box is cancelled",
         "After the first failure the customer gets a message with a link to update the "
         "card")),
    "allergy filters": StepFacts(
        "weekly subscriber", "the allergy filters", "trust that no recipe in the box "
        "contains their allergens", "The filters cover only nuts and gluten, so families "
        "with other allergies check every label by hand",
        ("The filters cover the 14 allergens that EU food labelling rules list",
         "A recipe with a filtered allergen never appears in the menu or the box")),
    "cooking mode": StepFacts(
        "home cook", "the cooking mode", "follow a recipe with messy hands",
        "The screen locks mid-recipe and the steps are one long text",
        ("In cooking mode the screen stays on until the last step",
         "Each step shows on its own screen with its own timer")),
    "pause subscription": StepFacts(
        "weekly subscriber", "pausing the subscription", "skip the weeks they are away "
        "without cancelling", "Pausing means writing to customer care, so many people "
        "cancel instead",
        ("A subscriber can pause for one to six weeks from the account page",
         "Paused weeks show on the calendar and no payment is taken for them")),
    "referral flow": StepFacts(
        "weekly subscriber", "the referral flow", "invite a friend and see the reward "
        "arrive", "Referral codes are long and get mistyped, and rewards arrive weeks late "
        "or not at all",
        ("A referral link opens sign-up with the code already applied",
         "The reward shows in the referrer's account within a day of the friend's first "
         "box")),
    "push reminders": StepFacts(
        "weekly subscriber", "the push reminders", "choose their meals before the weekly "
        "deadline", "Reminders arrive after the menu deadline, so boxes are filled with "
        "default recipes nobody chose",
        ("The reminder is sent 24 hours before the menu deadline in the customer's time "
         "zone", "A customer can switch reminders off in one tap")),
    "order history": StepFacts(
        "weekly subscriber", "the order history", "reorder a dinner the family loved",
        "The order history lists only dates and prices, not the recipes in each box",
        ("Each past box lists its recipes with their pictures",
         "A recipe from a past box can be added to the next box straight from the history")),
    "box customisation": StepFacts(
        "weekly subscriber", "box customisation", "swap a recipe or add an extra portion",
        "Swapping a recipe means cancelling the box and ordering a new one",
        ("A recipe can be swapped for any other on the menu until the weekly deadline",
         "The new price is shown before the customer confirms the change")),
    "portion sizes": StepFacts(
        "weekly subscriber", "the portion sizes", "cook the right amount for the people at "
        "the table", "Boxes come only for two or four people, so singles and big families "
        "waste food or order twice",
        ("Boxes can be ordered for one to six people",
         "Ingredient amounts on the recipe card match the chosen number of portions")),
    "gift cards": StepFacts(
        "gift buyer", "the gift cards", "give a box to someone else",
        "Gift cards exist only on paper at partner shops",
        ("A gift card for 25, 50 or 100 EUR can be bought online and sent by e-mail",
         "The receiver can redeem it at checkout with the code from the e-mail")),
    "driver tracking": StepFacts(
        "weekly subscriber", "the driver tracking", "know when the box will arrive",
        "Customers get only a four-hour window and call customer care to ask where the box "
        "is",
        ("Once the courier is on the way, the expected arrival is shown to within 30 "
         "minutes", "The customer gets a message when the box is two stops away")),
    "substitution rules": StepFacts(
        "weekly subscriber", "the substitution rules", "get a fitting replacement when an "
        "ingredient is out of stock", "When an ingredient runs out, packers swap in "
        "whatever is on the shelf, sometimes something the customer cannot eat",
        ("A substitute never contains an allergen the customer has filtered out",
         "The customer is told about a substitution before the box leaves the kitchen")),
    "onboarding quiz": StepFacts(
        "new customer", "the onboarding quiz", "get a first box that matches their taste",
        "The quiz asks 20 questions and half of new customers stop before the end",
        ("The quiz has at most six questions and can be skipped",
         "The first menu shown reflects the answers given")),
    "loyalty points": StepFacts(
        "weekly subscriber", "the loyalty points", "see and spend the points they earned",
        "Points are collected but can be spent only by calling customer care",
        ("The account page shows the points balance and what it is worth in EUR",
         "Points pay for up to half of a box's price at checkout")),
    "nutrition labels": StepFacts(
        "weekly subscriber", "the nutrition labels", "see calories and nutrients per "
        "portion before choosing", "Nutrition facts are printed on the card in the box, "
        "not shown in the app before ordering",
        ("Every recipe on the menu shows energy, protein, fat, carbohydrates and salt per "
         "portion", "The values shown match the printed recipe card")),
    "shopping list export": StepFacts(
        "weekly subscriber", "the shopping list export", "buy what the box does not "
        "contain", "Customers copy the missing basics (oil, salt, eggs) from each recipe "
        "card by hand",
        ("One tap sends the week's missing basics to the phone's notes or a shopping app",
         "A basic used in several recipes is listed once with its total amount")),
}
"""The facts of every step of FreshCrate's journey, by step name."""


class VerbTexts(NamedTuple):
    """How one kind of change is described: templates over a step's facts.

    Placeholders: ``{a_user}`` ("an occasional buyer"), ``{users}`` ("occasional buyers"),
    ``{thing}``, ``{goal}`` and ``{pain}``.
    """

    description: str
    problem: str
    criterion: str


VERB_TEXTS: dict[str, VerbTexts] = {
    "Add": VerbTexts(
        "Add what is missing from {thing} so that {a_user} can {goal}.",
        "{pain}. The product offers no way round it.",
        "{A_user} can {goal} without contacting customer care"),
    "Improve": VerbTexts(
        "Improve {thing} so that {a_user} can {goal} more reliably.",
        "{pain}. It works, but not well enough to rely on.",
        "In a usability test, four of five {users} {goal} at the first attempt"),
    "Simplify": VerbTexts(
        "Take steps out of {thing} so that {a_user} can {goal} with less effort.",
        "{pain}. Every extra step loses customers.",
        "{A_user} can {goal} with at most three taps or clicks"),
    "Fix": VerbTexts(
        "Repair {thing} for {a_user} who wants to {goal}.",
        "{pain}. Customer care hears about it several times a week.",
        "An automated test follows the steps that showed the fault, and passes"),
    "Speed up": VerbTexts(
        "Make {thing} respond faster, so that {a_user} can {goal} without waiting.",
        "{pain}. Slow screens make it worse: people leave while they wait.",
        "Every screen of {thing} responds within one second for 95% of requests on a "
        "mid-range phone"),
    "Redesign": VerbTexts(
        "Rework the look and flow of {thing}, starting from how {a_user} tries to {goal}.",
        "{pain}. Small tweaks have not helped: the flow itself confuses people.",
        "Four of five {users} {goal} unaided in a test of the new design"),
    "Personalise": VerbTexts(
        "Tailor {thing} to each customer's history, so that {a_user} can {goal} with fewer "
        "choices to make.",
        "{pain}. Everyone sees the same choices, whatever they ordered before.",
        "What {thing} offers draws on the customer's last four weeks of orders, and they "
        "can switch this off"),
    "Automate": VerbTexts(
        "Let {thing} handle the routine cases itself, so that {a_user} can {goal} without "
        "anyone at FreshCrate stepping in.",
        "{pain}. Staff fix many of these cases by hand.",
        "The routine case needs no manual step by staff, and exceptions land in the "
        "customer care queue"),
    "Localise": VerbTexts(
        "Offer {thing} in the customer's language and local formats, so that {a_user} "
        "abroad can {goal}.",
        "{pain}. Customers outside the home market also meet it in a foreign language.",
        "Everything in {thing} is available in Dutch, German and French, with prices and "
        "dates in the customer's format"),
    "Measure": VerbTexts(
        "Instrument {thing} so that the team sees how often {a_user} manages to {goal}.",
        "{pain}. Nothing in the product measures it yet, so the team cannot tell which change "
        "would help most.",
        "The team's dashboard shows each day how many {users} {goal}"),
}
"""The phrasing of every verb of the case study's titles."""

_REPEAT = re.compile(r" \(\d+\)$")


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def split_title(title: str) -> tuple[str, str]:
    """The verb and the step of a case-study title (a repeat number is ignored).

    Raises
    ------
    DataError
        If the title is not a verb of :data:`VERB_TEXTS` followed by a step of
        :data:`STEP_FACTS`.

    Examples
    --------
    >>> split_title("Speed up delivery slots (2)")
    ('Speed up', 'delivery slots')
    >>> split_title("Make it pop")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: backlog title 'Make it pop': expected a verb (Add, Improve, ...) ...
    """
    plain = _REPEAT.sub("", title)
    for verb in VERB_TEXTS:
        step = plain[len(verb) + 1:]
        if plain.startswith(verb + " ") and step in STEP_FACTS:
            return verb, step
    raise DataError(f"backlog title {title!r}: expected a verb ({', '.join(VERB_TEXTS)}) "
                    "followed by a step of the customer's journey, e.g. 'Simplify checkout'")


def item_texts(title: str) -> tuple[str, str, str]:
    """The description, problem and acceptance criteria of the item called ``title``.

    Parameters
    ----------
    title
        A case-study title: a verb and a step, e.g. ``"Fix payment retry"``.

    Returns
    -------
    tuple of str
        ``(description, problem, acceptance_criteria)``; the three criteria are joined by
        :data:`CRITERIA_SEPARATOR`.

    Examples
    --------
    >>> item_texts("Fix payment retry")[1]  # doctest: +ELLIPSIS
    'A failed card payment cancels the next box without warning. Customer care hears about it ...'
    >>> len(item_texts("Fix payment retry")[2].split(CRITERIA_SEPARATOR))
    3
    """
    verb, step = split_title(title)
    facts, texts = STEP_FACTS[step], VERB_TEXTS[verb]
    words = {"a_user": _article(facts.user), "A_user": _capital(_article(facts.user)),
             "users": facts.user + "s", "thing": facts.thing,
             "goal": facts.goal, "pain": facts.pain}
    criteria = (texts.criterion.format(**words), *facts.criteria)
    return (texts.description.format(**words), texts.problem.format(**words),
            CRITERIA_SEPARATOR.join(criteria))


def describe_items(titles: pd.Series) -> pd.DataFrame:
    """The three text columns for a column of case-study titles.

    Examples
    --------
    >>> describe_items(pd.Series(["Add gift cards"])).columns.tolist()
    ['description', 'problem', 'acceptance_criteria']
    """
    rows = [item_texts(title) for title in titles]
    return pd.DataFrame(rows, index=titles.index,
                        columns=["description", "problem", "acceptance_criteria"])
