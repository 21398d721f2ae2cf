"""Related tips: what tips share (phone numbers, names, organisations, addresses, photos), found by the
task worker as keyed fingerprints, and the cases officers group related tips into."""
