// name: narrative-claims
// description: Every claim of a narrative, earliest first: text, speaker, article, outlet, day and offsets (article.text[start:end] == text).
// params: id (narrative), limit (int, default 500)
MATCH (n:Narrative {id: $id})<-[:PART_OF]-(c:Claim)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
OPTIONAL MATCH (s:Entity)-[:ASSERTS]->(c)
WITH n, c, a, o, s
ORDER BY s.name
WITH n, c, a, o, collect(s.name) AS speakers
RETURN n.id AS narrative, c.id AS claim, c.text AS text, speakers, o.name AS outlet, a.id AS article,
       a.title AS title, a.published AS published, a.day AS day, c.start AS start, c.end AS end
ORDER BY coalesce(day, 1000000000), article, start, claim
LIMIT $limit
