// name: article
// description: Everything about one article: outlet, date, and each claim with speaker, cue and offsets.
// params: id (str)
MATCH (a:Article {id: $id})
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
OPTIONAL MATCH (a)-[:REPORTS]->(c:Claim)<-[r:ASSERTS]-(s:Entity)
RETURN a.id AS article, a.title AS title, o.name AS outlet, a.published AS published, a.url AS url,
       a.author AS author, a.wire AS wire, s.name AS speaker, s.id AS speaker_id, r.mention AS mention,
       r.mention_start AS mention_start, r.mention_end AS mention_end, r.cue AS cue,
       r.cue_start AS cue_start, r.cue_end AS cue_end, c.text AS claim, c.start AS start, c.end AS end,
       r.kind AS kind, r.confidence AS confidence, c.id AS claim_id
ORDER BY start, speaker_id
