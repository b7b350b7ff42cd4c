"""FreshCrate: the fictional product every module of the course works on.

FreshCrate is a meal-kit subscription service (mobile app and web shop). One seeded
generator makes all of its data, so a trainer can give each cohort fresh but coherent
numbers (``generate(seed)``), while the files committed under ``datasets/`` are exactly
``generate(CASE_STUDY_SEED)``.

Tables
------
work_items   one row per work item, with the date it entered each workflow stage
backlog      the open Product Backlog with the estimates the ordering methods need, and
             each item's description, problem and acceptance criteria
kano_survey  answers to paired Kano questions about twelve candidate features
ebm          monthly Evidence-Based Management measures, grouped by Key Value Area
experiments  A/B experiments, one row per variant
stakeholders people and groups with an interest in the product
sprint_goals the last twelve Sprint Goals and the Product Goal's measure around each
             (:mod:`pspo_lab.content.casestudy_sprints`)
customer_voices notes from customer research: empathy-map quadrant and element of value
             (:mod:`pspo_lab.content.casestudy_voices`)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pspo_lab.content import casestudy_sprints, casestudy_voices
from pspo_lab.content.backlog_items import describe_items
from pspo_lab.core.tables import Column, Schema

CASE_STUDY_SEED = 42
"""Seed of the data committed under ``datasets/``."""

PRODUCT_NAME = "FreshCrate"
TODAY = pd.Timestamp("2025-10-31")
"""The case study's "today": the day the data was exported."""

HISTORY_START = pd.Timestamp("2024-05-01")
STAGES = ("backlog", "ready", "in_progress", "review", "done")
"""Workflow stages of ``work_items`` in order; ``in_progress`` is the first started stage."""

FIBONACCI_SCALE = (1, 2, 3, 5, 8, 13, 20)
KANO_ANSWERS = ("like", "expect", "neutral", "tolerate", "dislike")
MOSCOW = ("Must", "Should", "Could", "Won't")
KVAS = ("Current Value", "Unrealized Value", "Time to Market", "Ability to Innovate")
ACTIVITIES = ("Discover recipes", "Plan the week", "Order and pay", "Receive the box",
              "Cook", "Manage subscription")

ACTIVITY_VALUE_SURPRISE = {"Discover recipes": 1.5, "Plan the week": 1.9, "Order and pay": 1.0,
                           "Receive the box": 0.6, "Cook": 0.4, "Manage subscription": 0.5}
"""How far real value differs from the estimates, on average, per user activity."""

_VERBS = ("Add", "Improve", "Simplify", "Fix", "Speed up", "Redesign", "Personalise",
          "Automate", "Localise", "Measure")
_OBJECTS = ("recipe search", "weekly menu", "checkout", "delivery slots", "payment retry",
            "allergy filters", "cooking mode", "pause subscription", "referral flow",
            "push reminders", "order history", "box customisation", "portion sizes",
            "gift cards", "driver tracking", "substitution rules", "onboarding quiz",
            "loyalty points", "nutrition labels", "shopping list export")

STEPS: dict[str, tuple[str, ...]] = {
    "Discover recipes": ("recipe search", "allergy filters", "onboarding quiz"),
    "Plan the week": ("weekly menu", "box customisation", "shopping list export",
                      "push reminders"),
    "Order and pay": ("checkout", "payment retry", "gift cards", "loyalty points"),
    "Receive the box": ("delivery slots", "driver tracking", "substitution rules"),
    "Cook": ("cooking mode", "portion sizes", "nutrition labels"),
    "Manage subscription": ("pause subscription", "referral flow", "order history"),
}
"""The steps of each user activity (the story map's backbone): a Product Backlog item's
title names the step it changes, e.g. "Simplify checkout" belongs to "Order and pay"."""

SCHEMAS: dict[str, Schema] = {
    "work_items": Schema(
        name="work_items",
        description="One row per work item the Scrum Team pulled through its workflow, with "
                    "the date it entered each stage. Empty stage cells are stages that were "
                    "skipped or not reached yet.",
        columns=(
            Column("id", "str", "Work item identifier", unique=True),
            Column("title", "str", "Short description"),
            Column("type", "category", "Kind of work",
                   choices=("feature", "defect", "maintenance", "experiment")),
            Column("backlog", "date", "Date the item was added to the Product Backlog"),
            Column("ready", "date", "Date refinement made it ready to be pulled "
                   "(empty if it went straight to work)", nullable=True),
            Column("in_progress", "date", "Date work started (start of cycle time)",
                   nullable=True),
            Column("review", "date", "Date it entered review (empty if skipped or not reached)",
                   nullable=True),
            Column("done", "date", "Date it met the Definition of Done (end of cycle time)",
                   nullable=True),
            Column("size", "int", "Developers' relative size estimate", "points", minimum=1,
                   maximum=20),
            Column("value_estimate", "int", "Product Owner's relative value estimate before "
                   "the work", "score 1-100", minimum=1, maximum=100),
        ),
        date_order=("backlog", "ready", "in_progress", "review", "done"),
    ),
    "backlog": Schema(
        name="backlog",
        description="One row per open Product Backlog item, with the estimates that the "
                    "ordering methods of module 6 use.",
        columns=(
            Column("id", "str", "Product Backlog item identifier", unique=True),
            Column("title", "str", "Short description"),
            Column("activity", "category", "User activity it supports (story map backbone)",
                   choices=ACTIVITIES),
            Column("created", "date", "Date the item was added"),
            Column("last_touched", "date", "Date the item was last refined or discussed"),
            Column("user_business_value", "int", "WSJF: relative user and business value",
                   "1,2,3,5,8,13,20", minimum=1, maximum=20),
            Column("time_criticality", "int", "WSJF: relative time criticality",
                   "1,2,3,5,8,13,20", minimum=1, maximum=20),
            Column("risk_reduction", "int", "WSJF: relative risk reduction or opportunity "
                   "enablement", "1,2,3,5,8,13,20", minimum=1, maximum=20),
            Column("job_size", "int", "WSJF: relative job size", "1,2,3,5,8,13,20",
                   minimum=1, maximum=20),
            Column("reach", "int", "RICE: customers affected per quarter", "customers",
                   minimum=0),
            Column("impact", "float", "RICE: impact per customer", "3, 2, 1, 0.5 or 0.25",
                   minimum=0.25, maximum=3),
            Column("confidence", "int", "RICE: confidence in the estimates", "percent",
                   minimum=0, maximum=100),
            Column("effort", "float", "RICE: effort", "person-weeks", minimum=0.5,
                   maximum=1000),
            Column("cost_of_delay_week", "int", "CD3: money lost per week of delay",
                   "EUR per week", minimum=0),
            Column("duration_weeks", "float", "CD3: expected duration", "weeks", minimum=0.5),
            Column("moscow", "category", "MoSCoW class given by stakeholders", choices=MOSCOW),
            Column("value_estimate", "int", "Product Owner's value estimate before delivery",
                   "score 1-100", minimum=1, maximum=100),
            Column("true_value", "int", "Value observed after release (unknown in real life "
                   "until released; used by the simulations)", "score 1-100", minimum=1,
                   maximum=100),
            Column("sponsor", "str", "Stakeholder id who asked for and funds the item, if any",
                   nullable=True),
            Column("description", "str", "What the item changes, for whom and why (written "
                   "for the course: see pspo_lab/content/backlog_items.py)", nullable=True,
                   optional=True),
            Column("problem", "str", "The problem the item solves, as customers meet it "
                   "today", nullable=True, optional=True),
            Column("acceptance_criteria", "str", "Conditions the item must meet to be "
                   "accepted, separated by '; ' (the Definition of Done applies on top)",
                   nullable=True, optional=True),
        ),
        date_order=("created", "last_touched"),
    ),
    "kano_survey": Schema(
        name="kano_survey",
        description="One row per respondent and feature: the answers to the functional "
                    "(\"if the product has it\") and dysfunctional (\"if it does not\") question.",
        columns=(
            Column("respondent", "str", "Anonymous respondent identifier"),
            Column("feature", "str", "Backlog item id the questions were about"),
            Column("functional", "category", "Answer when the feature is present",
                   choices=KANO_ANSWERS),
            Column("dysfunctional", "category", "Answer when the feature is absent",
                   choices=KANO_ANSWERS),
        ),
    ),
    "ebm": Schema(
        name="ebm",
        description="Monthly Evidence-Based Management measures in long format. EBM "
                    "prescribes no measures: these are examples FreshCrate chose.",
        columns=(
            Column("month", "date", "First day of the month measured"),
            Column("kva", "category", "Key Value Area", choices=KVAS),
            Column("measure", "str", "Name of the measure"),
            Column("value", "float", "Measured value"),
            Column("unit", "str", "Unit of the value"),
        ),
    ),
    "experiments": Schema(
        name="experiments",
        description="A/B experiments run on the product, one row per variant.",
        columns=(
            Column("experiment", "str", "Experiment identifier"),
            Column("hypothesis", "str", "What the team believed would happen"),
            Column("metric", "str", "Conversion the experiment counted"),
            Column("variant", "category", "Control or treatment", choices=("control",
                                                                         "treatment")),
            Column("planned_share", "float", "Share of traffic the variant should get",
                   "fraction", minimum=0, maximum=1),
            Column("visitors", "int", "Visitors assigned", "visitors", minimum=1),
            Column("conversions", "int", "Visitors who converted", "visitors", minimum=0),
            Column("start", "date", "First day"),
            Column("end", "date", "Last day"),
        ),
        date_order=("start", "end"),
    ),
    "stakeholders": Schema(
        name="stakeholders",
        description="People and groups with an interest in FreshCrate.",
        columns=(
            Column("id", "str", "Stakeholder identifier", unique=True),
            Column("name", "str", "Name or group"),
            Column("role", "str", "What they do"),
            Column("group", "category", "Kind of stakeholder",
                   choices=("customer", "user", "internal", "partner", "regulator")),
            Column("interest", "int", "Interest in the product", "1-5", minimum=1, maximum=5),
            Column("influence", "int", "Influence over the product", "1-5", minimum=1,
                   maximum=5),
        ),
    ),
    "sprint_goals": casestudy_sprints.SCHEMA,
    "customer_voices": casestudy_voices.SCHEMA,
}


def _title(rng: np.random.Generator) -> str:
    return f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"


def _activity_titles(drawn: Iterable[str], activities: Iterable[str]) -> list[str]:
    """Titles that name a step of each item's own activity, every title used once.

    The drawn object picks the step and the drawn verb starts the search; a title already
    taken moves on to the next verb, then to the next step (no random draws, so the rest of
    the case study stays as it was). A backlog larger than the vocabulary (more than 30 or
    so items in one activity) numbers the repeats instead: "Fix checkout (2)".
    """
    taken: set[str] = set()
    titles = []
    for title, activity in zip(drawn, activities, strict=True):
        obj = next(o for o in _OBJECTS if title.endswith(" " + o))
        verb, steps = title[:-len(obj) - 1], STEPS[activity]
        first_step, first_verb = _OBJECTS.index(obj) % len(steps), _VERBS.index(verb)
        candidates = (f"{_VERBS[(first_verb + v) % len(_VERBS)]} "
                      f"{steps[(first_step + s) % len(steps)]}"
                      for s in range(len(steps)) for v in range(len(_VERBS)))
        plain = f"{verb} {steps[first_step]}"
        numbered = (f"{plain} ({k})" for k in range(2, len(taken) + 3))
        titles.append(next(c for c in itertools.chain(candidates, numbered) if c not in taken))
        taken.add(titles[-1])
    return titles


def _days(values: np.ndarray) -> pd.TimedeltaIndex:
    return pd.to_timedelta(np.round(values).astype(int), unit="D")


def work_items(rng: np.random.Generator) -> pd.DataFrame:
    """Generate the work items: arrivals, waits and work times with realistic skew.

    Work starts on working days; about one in ten items skips ``ready`` and one in
    twenty skips ``review``; items not finished by :data:`TODAY` have empty later stages.
    """
    days = pd.date_range(HISTORY_START, TODAY, freq="D")
    weekday = days.day_of_week < 5
    arrivals = rng.poisson(np.where(weekday, 1.15, 0.1))
    created = np.repeat(days.to_numpy(), arrivals)
    n = created.size
    kinds = rng.choice(["feature", "defect", "maintenance", "experiment"], size=n,
                       p=[0.5, 0.25, 0.15, 0.1])
    wait = np.where(kinds == "defect", rng.exponential(4, n), rng.exponential(24, n))
    ready = created + _days(wait)
    start = ready + _days(rng.exponential(4, n))
    start = start + _days(np.select([start.day_of_week == 5, start.day_of_week == 6], [2, 1], 0))
    work = rng.lognormal(mean=1.4, sigma=0.7, size=n)
    review = start + _days(work)
    done = review + _days(rng.exponential(1.2, n))
    done = done + _days(np.select([done.day_of_week == 5, done.day_of_week == 6], [2, 1], 0))
    frame = pd.DataFrame({
        "id": [f"FC-{i + 1:04d}" for i in range(n)],
        "title": [_title(rng) for _ in range(n)],
        "type": kinds,
        "backlog": created,
        "ready": ready.where(rng.random(n) > 0.1),
        "in_progress": start,
        "review": review.where(rng.random(n) > 0.05),
        "done": done,
        "size": rng.choice([1, 2, 3, 5, 8, 13], size=n, p=[.15, .25, .25, .2, .1, .05]),
        "value_estimate": rng.integers(5, 96, size=n),
    })
    for stage in STAGES[1:]:
        frame.loc[frame[stage] > TODAY, stage] = pd.NaT
    for earlier, later in zip(STAGES[1:], STAGES[2:], strict=False):
        frame.loc[frame[earlier].isna() & frame[later].isna(), later] = pd.NaT
    # an item that has not started cannot be in review or done
    not_started = frame["in_progress"].isna()
    frame.loc[not_started, ["review", "done"]] = pd.NaT
    return frame


def backlog(rng: np.random.Generator, n: int = 120) -> pd.DataFrame:
    """Generate the open Product Backlog, with estimates for every ordering method."""
    created = TODAY - _days(rng.gamma(1.3, 110, n))
    touched = created + (TODAY - created) * rng.random(n) ** 2.5
    ubv = rng.choice(FIBONACCI_SCALE, n, p=[.1, .15, .2, .2, .15, .12, .08])
    size = rng.choice(FIBONACCI_SCALE, n, p=[.08, .15, .2, .22, .17, .12, .06])
    value_estimate = np.clip(np.round(ubv * 4.5 + rng.normal(0, 10, n)), 1, 100)
    true_value = np.clip(np.round(value_estimate * rng.lognormal(0, 0.55, n)), 1, 100)
    effort = np.round(size * rng.uniform(0.4, 0.8, n) * 2) / 2
    moscow = np.select([ubv >= 13, ubv >= 5, ubv >= 2], ["Must", "Should", "Could"], "Won't")
    flip = rng.random(n) < 0.25
    moscow = np.where(flip, rng.choice(MOSCOW, n), moscow)
    sponsors = np.where(rng.random(n) < 0.15, rng.choice(["S03", "S04", "S06"], n), "")
    frame = pd.DataFrame({
        "id": [f"PB-{i + 1:03d}" for i in range(n)],
        "title": [_title(rng) for _ in range(n)],
        "activity": rng.choice(ACTIVITIES, n),
        "created": created.normalize(),
        "last_touched": pd.DatetimeIndex(touched).normalize(),
        "user_business_value": ubv,
        "time_criticality": rng.choice(FIBONACCI_SCALE, n, p=[.2, .2, .2, .15, .12, .08, .05]),
        "risk_reduction": rng.choice(FIBONACCI_SCALE, n, p=[.25, .2, .2, .15, .1, .06, .04]),
        "job_size": size,
        "reach": np.round(rng.lognormal(7.5, 1.0, n)).astype(int),
        "impact": rng.choice([3, 2, 1, 0.5, 0.25], n, p=[.1, .2, .35, .25, .1]),
        "confidence": rng.choice([100, 80, 50], n, p=[.25, .45, .3]),
        "effort": np.maximum(effort, 0.5),
        "cost_of_delay_week": (np.round(ubv * rng.uniform(150, 450, n) / 50) * 50).astype(int),
        "duration_weeks": np.maximum(np.round(size * rng.uniform(0.25, 0.5, n) * 2) / 2, 0.5),
        "moscow": moscow,
        "value_estimate": value_estimate.astype(int),
        "true_value": true_value.astype(int),
        "sponsor": sponsors,
    })
    # Each title names a step of the item's own activity. The object drawn above only picks
    # which step (so the random stream, and every other column, stay as they were).
    frame["title"] = _activity_titles(frame["title"], frame["activity"])
    frame = frame.join(describe_items(frame["title"]))  # written texts, no random draws
    # Some user activities are worth more to customers than the team believed, others less:
    # what a release reveals about one item says something about its neighbours.
    surprise = frame["activity"].map(ACTIVITY_VALUE_SURPRISE)
    frame["true_value"] = np.clip(np.round(frame["true_value"] * surprise), 1, 100).astype(int)
    return frame


def kano_survey(rng: np.random.Generator, features: list[str],
                respondents: int = 40) -> pd.DataFrame:
    """Generate paired Kano answers; each feature has a hidden dominant category."""
    profiles = {  # (functional, dysfunctional) answer probabilities over KANO_ANSWERS
        "must-be": ([.05, .6, .25, .08, .02], [.01, .02, .07, .2, .7]),
        "one-dimensional": ([.7, .1, .1, .07, .03], [.02, .03, .1, .15, .7]),
        "attractive": ([.7, .05, .15, .07, .03], [.05, .1, .6, .2, .05]),
        "indifferent": ([.1, .1, .6, .15, .05], [.05, .1, .6, .2, .05]),
    }
    kinds = rng.choice(list(profiles), len(features))
    rows = []
    for feature, kind in zip(features, kinds, strict=True):
        functional_p, dysfunctional_p = profiles[kind]
        for r in range(respondents):
            rows.append((f"R{r + 1:02d}", feature, rng.choice(KANO_ANSWERS, p=functional_p),
                         rng.choice(KANO_ANSWERS, p=dysfunctional_p)))
    return pd.DataFrame(rows, columns=["respondent", "feature", "functional", "dysfunctional"])


def ebm(rng: np.random.Generator, months: int = 24) -> pd.DataFrame:
    """Generate monthly EBM measures with one real change in value part-way through.

    A redesigned onboarding released in one month of the second year lifts subscribers
    and satisfaction from then on; the month differs from seed to seed.
    """
    month = pd.date_range(end=TODAY.to_period("M").to_timestamp(), periods=months, freq="MS")
    t = np.arange(months)
    shift = (t >= rng.integers(months // 2, months - 4)).astype(float)
    noise = lambda scale: rng.normal(0, scale, months)  # noqa: E731
    subscribers = np.round(18000 + 220 * t + 2600 * shift + noise(350))
    rows = {
        ("Current Value", "active_subscribers", "subscribers"): subscribers,
        ("Current Value", "revenue_per_subscriber", "EUR/month"):
            np.round(41 + 0.05 * t + 1.5 * shift + noise(0.6), 2),
        ("Current Value", "net_promoter_score", "NPS points"):
            np.round(18 + 0.2 * t + 9 * shift + noise(2.5), 1),
        ("Current Value", "employee_satisfaction", "1-5 score"):
            np.round(3.4 + 0.01 * t + noise(0.08), 2),
        ("Unrealized Value", "market_share", "percent"):
            np.round(4.1 + 0.03 * t + 0.4 * shift + noise(0.1), 2),
        ("Unrealized Value", "satisfaction_gap", "points to target"):
            np.round(np.maximum(30 - 0.2 * t - 8 * shift + noise(2), 0), 1),
        ("Time to Market", "releases", "releases/month"):
            np.maximum(np.round(2 + 0.12 * t + noise(0.8)), 0),
        ("Time to Market", "lead_time", "days"):
            np.round(np.maximum(38 - 0.6 * t + noise(3), 5), 1),
        ("Time to Market", "time_to_learn", "days"):
            np.round(np.maximum(45 - 0.8 * t + noise(4), 7), 1),
        ("Ability to Innovate", "innovation_rate", "percent"):
            np.round(np.clip(38 + 0.5 * t + noise(3), 0, 100), 1),
        ("Ability to Innovate", "open_defects", "defects"):
            np.maximum(np.round(85 - 1.2 * t + noise(6)), 0),
        ("Ability to Innovate", "on_product_index", "percent"):
            np.round(np.clip(61 + 0.3 * t + noise(2.5), 0, 100), 1),
    }
    frames = [pd.DataFrame({"month": month, "kva": kva, "measure": measure,
                            "value": values, "unit": unit})
              for (kva, measure, unit), values in rows.items()]
    return pd.concat(frames, ignore_index=True)


def experiments(rng: np.random.Generator) -> pd.DataFrame:
    """Generate A/B experiments: some real effects, one null, one sample-ratio mismatch."""
    plans = [
        ("EXP-01", "A one-tap reorder button raises repeat orders", "repeat_order", .120, .018),
        ("EXP-02", "Showing cooking time on cards raises recipe picks", "recipe_pick", .310,
         .000),
        ("EXP-03", "A progress bar in onboarding raises activation", "activation", .420, .035),
        ("EXP-04", "Free dessert offer lowers cancellations", "retained_30d", .780, .012),
        ("EXP-05", "Simplified checkout raises completed payments", "payment_done", .640,
         .020),
    ]
    rows = []
    start = pd.Timestamp("2025-03-03")
    for i, (exp, hypothesis, metric, base, lift) in enumerate(plans):
        total = int(rng.integers(9000, 26000))
        share = 0.5
        treatment_share = 0.47 if exp == "EXP-04" else share  # assignment bug: SRM
        treated = int(rng.binomial(total, treatment_share))
        begin = start + pd.Timedelta(days=35 * i)
        end = begin + pd.Timedelta(days=int(rng.integers(14, 29)))
        for variant, visitors, rate in (("control", total - treated, base),
                                        ("treatment", treated, base + lift)):
            rows.append((exp, hypothesis, metric, variant, share, visitors,
                         int(rng.binomial(visitors, rate)), begin, end))
    return pd.DataFrame(rows, columns=SCHEMAS["experiments"].names)


def stakeholders() -> pd.DataFrame:
    """The fixed cast of FreshCrate stakeholders (names are fictional)."""
    rows = [
        ("S01", "Weekly subscribers", "Families cooking 3-5 meals a week", "customer", 5, 3),
        ("S02", "Occasional buyers", "Order a box now and then", "customer", 3, 2),
        ("S03", "Mara Lindqvist", "Chief Executive Officer", "internal", 4, 5),
        ("S04", "Theo Okafor", "Head of Marketing", "internal", 5, 4),
        ("S05", "Ines Duarte", "Head of Customer Care", "internal", 4, 3),
        ("S06", "Ravi Menon", "Chief Financial Officer", "internal", 3, 5),
        ("S07", "Delivery partners", "Couriers delivering the boxes", "partner", 3, 2),
        ("S08", "Farm co-operative", "Supplies vegetables and meat", "partner", 2, 3),
        ("S09", "Food safety authority", "Inspects labelling and storage", "regulator", 2, 5),
        ("S10", "Customer care agents", "Answer customers every day", "user", 5, 2),
        ("S11", "Kitchen staff", "Pack the boxes", "user", 3, 1),
        ("S12", "Nutrition advisers", "Dietitians who review recipes and labels", "partner", 3,
         2),
    ]
    return pd.DataFrame(rows, columns=SCHEMAS["stakeholders"].names)


def generate(seed: int = CASE_STUDY_SEED) -> dict[str, pd.DataFrame]:
    """Generate every case-study table from one seed.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives the same tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        One entry per name in :data:`SCHEMAS`.

    Examples
    --------
    >>> tables = generate(42)
    >>> sorted(tables) == sorted(SCHEMAS)
    True
    """
    rng = np.random.default_rng(seed)
    items = work_items(rng)
    product_backlog = backlog(rng)
    return {
        "work_items": items,
        "backlog": product_backlog,
        "kano_survey": kano_survey(rng, product_backlog["id"].head(12).tolist()),
        "ebm": ebm(rng),
        "experiments": experiments(rng),
        "stakeholders": stakeholders(),
        "sprint_goals": casestudy_sprints.sprint_goals(seed, TODAY),
        "customer_voices": casestudy_voices.customer_voices(),
    }
