// name: who-spoke-to
// description: People who spoke to an outlet ("told Sputnik"), with the articles that say so.
// params: outlet (outlet), limit (int, default 100)
MATCH (p:Entity)-[r:SPOKE_TO]->(o:Outlet {id: $outlet})
MATCH (a:Article {id: r.article_id})
WITH o, p, count(DISTINCT a) AS articles, min(a.published) AS first, max(a.published) AS last
RETURN p.name AS speaker, p.id AS speaker_id, o.name AS outlet, articles, first, last
ORDER BY articles DESC, speaker_id
LIMIT $limit
