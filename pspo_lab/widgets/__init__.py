"""Widgets: what a learner clicks in a notebook.

Forms saved to the workspace, explorers that wire a slider to a chart, the quiz and the
take-home export. Thin views over ``pspo_lab.analysis``; may import every layer below.
"""
