// name: outlet-timeline
// description: An outlet's claims per day and speaker, in date order.
// params: outlet (outlet), limit (int, default 1000)
MATCH (o:Outlet {id: $outlet})-[:PUBLISHED]->(a:Article)-[:REPORTS]->(c:Claim)<-[:ASSERTS]-(s:Entity)
WHERE a.day IS NOT NULL
WITH a.day AS day, substring(a.published, 0, 10) AS date, s, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles
RETURN date, day, s.name AS speaker, s.id AS speaker_id, claims, articles
ORDER BY day, speaker_id
LIMIT $limit
