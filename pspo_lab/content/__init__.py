"""Content: the course as data.

The FreshCrate case study and ``load_dataset``, the syllabus, cohorts, the Scrum framework
facts and the question bank, with the packaged data files under ``content/data/``.
May import ``pspo_lab.core`` only.
"""
