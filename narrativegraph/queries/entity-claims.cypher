// name: entity-claims
// description: Claims about an entity: claims naming it (by name or alias) in articles that mention it.
// params: entity (entity), limit (int, default 100)
MATCH (e:Entity {id: $entity})<-[:MENTIONS]-(a:Article)-[:REPORTS]->(c:Claim)
// the test sits in WITH, not in WHERE: FalkorDB cannot filter on a list predicate over two variables
WITH e, a, c, any(x IN coalesce(e.aliases, [e.name]) WHERE size(x) > 2 AND toLower(c.text) CONTAINS toLower(x)) AS named
WHERE named
MATCH (s:Entity)-[r:ASSERTS]->(c)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN e.name AS entity, s.name AS speaker, c.text AS claim, a.id AS article, o.name AS outlet,
       a.published AS published, c.start AS start, c.end AS end, c.id AS claim_id
ORDER BY a.day, article, start, speaker
LIMIT $limit
