"""The pipeline stages, in order: read, nlp, actors, events, attribution, time, place, output."""
