"""Demo data: the An Giang scenario (examples/ from the corpus) and the synthetic national tree."""
