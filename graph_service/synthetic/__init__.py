"""Synthetic world generator: realistic multi-agency exports with planted truth.

``generate_world(scale, seed, out_dir)`` writes every file of the input-format spec plus
``ground_truth.json``; see docs/generator.md.
"""

from graph_service.synthetic.generator import generate_world
from graph_service.synthetic.scales import SCALES
from loaders.contract import CONTRACT

__all__ = ["CONTRACT", "SCALES", "generate_world"]
