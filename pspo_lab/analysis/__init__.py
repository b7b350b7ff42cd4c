"""Analysis: the course's logic as pure functions over DataFrames, and ``plot_*(ax)`` charts.

Flow metrics and forecasts, value and EBM, backlog ordering, strategy, canvases, the
assessment engine. May import ``pspo_lab.content`` and ``pspo_lab.core``; never ipywidgets
or IPython, so every function here runs and is tested without a notebook.
"""
