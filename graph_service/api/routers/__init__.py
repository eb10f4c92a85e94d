"""One router per resource: health, home, people, maps, queries."""
