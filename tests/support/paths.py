"""Where the tests find the repository, the example province and the document corpus."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "demo" / "examples" / "an-giang"
# The corpus lives beside the repository (../shared/corpus); a copy in tests/fixtures keeps the
# tests runnable from a clone that has no shared/ next to it.
CORPUS = next(p for p in (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "fixtures" / "corpus")
              if p.is_dir())
