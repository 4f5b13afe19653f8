// name: speaker-narratives
// description: The narratives a speaker's claims belong to, widest first: how many outlets (and independent ones) carried each, who was first, and when.
// params: speaker (entity), limit (int, default 50)
MATCH (s:Entity {id: $speaker})-[:ASSERTS]->(c:Claim)-[:PART_OF]->(n:Narrative)
WITH s, n, count(DISTINCT c) AS own_claims
RETURN s.name AS speaker, n.id AS narrative, n.label AS label, own_claims, n.claims AS claims,
       n.outlets AS outlets, n.outlets_independent AS independent_outlets, n.first_outlet AS first_outlet,
       n.first_seen AS first_seen, n.last_seen AS last_seen
ORDER BY outlets DESC, coalesce(first_seen, '9999-12-31'), narrative
LIMIT $limit
