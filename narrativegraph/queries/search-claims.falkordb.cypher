// name: search-claims
// description: Full-text search over claims: every claim with all the words (as word beginnings), oldest first.
// params: text (words), limit (int, default 100)
// The engine finds claims with any word as a prefix (FalkorDB syntax);
// keeping those with every word at a word start makes both stores agree on the rows (word starts
// after characters both engines split on: not after a no-break space or curly quote, FalkorDB keeps those).
CALL db.idx.fulltext.queryNodes('Claim', reduce(q = '', w IN split($text, ' ') | q + CASE WHEN q = '' THEN '' ELSE '|' END + w + '*')) YIELD node
WITH node AS c, all(w IN split($text, ' ') WHERE any(sep IN [' ', '\n', '"', '(', '[', '-', '/', ',', '.', ':', ';', " '"]
                                                     WHERE (' ' + toLower(node.text)) CONTAINS (sep + w))) AS all_words
WHERE all_words
MATCH (s:Entity)-[r:ASSERTS]->(c)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN c.text AS claim, s.name AS speaker, a.id AS article, o.name AS outlet, a.published AS published,
       c.start AS start, c.end AS end, c.id AS claim_id
ORDER BY a.day, claim_id, speaker
LIMIT $limit
