"""Trainer tools: the ``pspo-lab`` command, the cohort runner, hand-outs and authoring.

Runs notebooks with papermill through steady kernels and writes HTML hand-outs. May import
``pspo_lab.content`` and ``pspo_lab.core``; learners' notebooks never import it.
"""
