// name: speaker-claims
// description: Every claim a speaker made, with article, outlet and offsets (text[start:end] is the claim).
// params: speaker (entity), limit (int, default 100)
MATCH (s:Entity {id: $speaker})-[r:ASSERTS]->(c:Claim)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN s.name AS speaker, c.text AS claim, r.cue AS cue, r.kind AS kind, r.confidence AS confidence,
       a.id AS article, a.title AS title, o.name AS outlet, a.published AS published,
       c.start AS start, c.end AS end, r.mention AS mention, r.mention_start AS mention_start,
       r.mention_end AS mention_end, c.id AS claim_id
ORDER BY a.day, article, start, claim_id
LIMIT $limit
