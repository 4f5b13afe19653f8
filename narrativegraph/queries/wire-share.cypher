// name: wire-share
// description: Per outlet, how many of its articles are wire stories or copies of another outlet's article, and their share.
// params: limit (int, default 100)
MATCH (o:Outlet)-[:PUBLISHED]->(a:Article)
OPTIONAL MATCH (a)-[:WIRE_FROM]->(w:Outlet)
OPTIONAL MATCH (a)-[:COPY_OF]->(c:Article)<-[:PUBLISHED]-(co:Outlet)
WHERE co.id <> o.id
WITH o, a, count(DISTINCT w) AS wired, count(DISTINCT c) AS copied
WITH o, count(a) AS articles,
     toInteger(sum(CASE WHEN wired > 0 THEN 1 ELSE 0 END)) AS wire_articles,
     toInteger(sum(CASE WHEN copied > 0 THEN 1 ELSE 0 END)) AS copy_articles,
     sum(CASE WHEN wired > 0 OR copied > 0 THEN 1 ELSE 0 END) AS dependent
RETURN o.name AS outlet, o.id AS outlet_id, articles, wire_articles, copy_articles,
       toFloat(round(1000.0 * dependent / articles)) / 1000.0 AS wire_share
ORDER BY wire_share DESC, articles DESC, outlet_id
LIMIT $limit
