// name: top-speakers
// description: The most quoted speakers, with how many claims, articles and outlets carry them.
// params: limit (int, default 20)
MATCH (s:Entity)-[:ASSERTS]->(c:Claim)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
WITH s, count(DISTINCT c) AS claims, count(DISTINCT a) AS articles, count(DISTINCT o) AS outlets
RETURN s.name AS speaker, s.type AS type, s.id AS speaker_id, claims, articles, outlets
ORDER BY claims DESC, articles DESC, speaker_id
LIMIT $limit
