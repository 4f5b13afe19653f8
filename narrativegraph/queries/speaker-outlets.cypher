// name: speaker-outlets
// description: Which outlets carry a speaker, with the first and last day (and date) they did.
// params: speaker (entity), limit (int, default 100)
MATCH (s:Entity {id: $speaker})-[:ASSERTS]->(c:Claim)<-[:REPORTS]-(a:Article)<-[:PUBLISHED]-(o:Outlet)
WITH s, o, count(DISTINCT a) AS articles, count(DISTINCT c) AS claims, min(a.day) AS first_day, max(a.day) AS last_day,
     min(a.published) AS first, max(a.published) AS last
RETURN s.name AS speaker, o.name AS outlet, o.id AS outlet_id, articles, claims, first, last, first_day, last_day
ORDER BY first_day, outlet_id
LIMIT $limit
