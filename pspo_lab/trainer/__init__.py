"""Trainer tools: the ``pspo-lab`` command, the cohort runner, hand-outs, the class dashboard
and authoring.

Runs notebooks with papermill through steady kernels and writes HTML hand-outs and the class
page of learners' exports. May import ``pspo_lab.analysis`` (the class statistics),
``pspo_lab.content`` and ``pspo_lab.core``; learners' notebooks never import it.
"""
