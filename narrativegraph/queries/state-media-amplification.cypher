// name: state-media-amplification
// description: Narratives first carried by a state-affiliated outlet (per outlet profiles), and every outlet that carried them later, with its lag in days.
// params: limit (int, default 500)
MATCH (s:Outlet)-[:PUBLISHED]->(a:Article)-[:REPORTS]->(:Claim)-[:PART_OF]->(n:Narrative)
WHERE s.state_affiliated = true AND a.day IS NOT NULL AND a.day = n.first_day
WITH DISTINCT n, s
MATCH (o:Outlet)-[:PUBLISHED]->(b:Article)-[:REPORTS]->(:Claim)-[:PART_OF]->(n)
WHERE o.id <> s.id AND b.day IS NOT NULL
WITH n, s, o, min(b.day) AS day
RETURN n.id AS narrative, n.label AS label, s.name AS state_outlet, n.first_day AS first_day,
       o.name AS outlet, coalesce(o.state_affiliated, false) AS outlet_state_affiliated,
       day, day - n.first_day AS lag_days
ORDER BY first_day, narrative, state_outlet, lag_days, outlet
LIMIT $limit
