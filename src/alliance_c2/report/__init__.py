"""Reports built from the model and the analyses: HTML, charts and SVG diagrams, in English or Japanese."""
