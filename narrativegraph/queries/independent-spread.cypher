// name: independent-spread
// description: Who carried a narrative independently, in order: copies fold into their origin article and wire stories into their agency.
// params: id (narrative), limit (int, default 200)
MATCH (n:Narrative {id: $id})<-[:PART_OF]-(:Claim)<-[:REPORTS]-(a:Article)
WITH DISTINCT n, a
OPTIONAL MATCH (a)-[:COPY_OF]->(orig:Article)
WITH n, a, orig, coalesce(orig, a) AS src
OPTIONAL MATCH (src)-[:WIRE_FROM]->(w:Outlet)
OPTIONAL MATCH (so:Outlet)-[:PUBLISHED]->(src)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
WITH n, a, o, coalesce(w.name, so.name, src.id) AS source,
     CASE WHEN w IS NOT NULL THEN 'wire' ELSE 'outlet' END AS kind,
     CASE WHEN orig IS NULL THEN 0 ELSE 1 END AS is_copy
ORDER BY o.name
WITH n, source, kind, min(a.day) AS first_day, collect(DISTINCT o.name) AS carriers,
     count(DISTINCT a) AS articles, toInteger(sum(is_copy)) AS copies
RETURN source AS outlet, kind, first_day, first_day - n.first_day AS lag_days, carriers,
       size(carriers) AS carrier_outlets, articles, copies
ORDER BY first_day, outlet
LIMIT $limit
