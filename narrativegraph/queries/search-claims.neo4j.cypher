// name: search-claims
// description: Full-text search over claims: every claim containing all the words, oldest first.
// params: text (words), limit (int, default 100)
CALL db.index.fulltext.queryNodes('claims', $text) YIELD node
// every word as a substring: the engines' own matching differs (FalkorDB: AND with stemming, Neo4j: OR)
WITH node AS c, all(w IN split($text, ' ') WHERE toLower(node.text) CONTAINS w) AS all_words
WHERE all_words
MATCH (s:Entity)-[r:ASSERTS]->(c)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN c.text AS claim, s.name AS speaker, a.id AS article, o.name AS outlet, a.published AS published,
       c.start AS start, c.end AS end, c.id AS claim_id
ORDER BY a.day, claim_id, speaker
LIMIT $limit
