"""Jupyter server settings for the course (used by ``./run lab`` and by Binder).

Autosave must not write a learner's outputs into the tracked notebooks: the save hook strips
them, so ``git pull`` and nbgitpuller updates never conflict (see
``pspo_lab/trainer/save_hook.py``).
"""

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.FileContentsManager.pre_save_hook = "pspo_lab.trainer.save_hook.strip_outputs_on_save"
