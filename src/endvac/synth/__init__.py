"""A seeded synthetic country: agency deliveries in the interchange format, with truth.

Standalone: imports nothing else from endvac. See docs/synthetic.md.
"""

from endvac.synth.generate import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]
