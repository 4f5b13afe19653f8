// name: co-quoted
// description: Pairs of speakers quoted in the same articles, most shared articles first.
// params: speaker (entity, optional), limit (int, default 100)
MATCH (a:Article)-[:REPORTS]->(:Claim)<-[:ASSERTS]-(s1:Entity)
MATCH (a)-[:REPORTS]->(:Claim)<-[:ASSERTS]-(s2:Entity)
WHERE s1.id < s2.id AND ($speaker IS NULL OR s1.id = $speaker OR s2.id = $speaker)
WITH s1, s2, count(DISTINCT a) AS articles
RETURN s1.name AS speaker1, s1.id AS speaker1_id, s2.name AS speaker2, s2.id AS speaker2_id, articles
ORDER BY articles DESC, speaker1_id, speaker2_id
LIMIT $limit
