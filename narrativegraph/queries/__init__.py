"""Named Cypher queries (the `.cypher` files beside this module) and the runner that checks their parameters."""
