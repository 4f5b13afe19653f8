// name: outlet-speakers
// description: Who an outlet quotes, most quoted first.
// params: outlet (outlet), limit (int, default 100)
MATCH (o:Outlet {id: $outlet})-[:PUBLISHED]->(a:Article)-[:REPORTS]->(c:Claim)<-[:ASSERTS]-(s:Entity)
WITH o, s, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles
RETURN o.name AS outlet, s.name AS speaker, s.type AS type, s.id AS speaker_id, claims, articles
ORDER BY claims DESC, articles DESC, speaker_id
LIMIT $limit
