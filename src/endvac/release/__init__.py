"""The public release: every indicator table protected as a whole (docs/release.md)."""

from endvac.release.build import ReleaseSummary, build_release, load_release
from endvac.release.settings import ReleaseRules, release_rules
from endvac.release.store import Release

__all__ = ["Release", "ReleaseRules", "ReleaseSummary", "build_release", "load_release",
           "release_rules"]
